// Test support: the package's .proto files loaded by protobufjs's reflection (a second path to the
// same schema, independent of the generated static code), and a fast-check arbitrary per message.
import { existsSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import protobuf from "protobufjs";
import * as generated from "../src/gen/tikv.js";

const protoDir = join(import.meta.dirname, "..", "proto");

export function loadSchema(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    for (const d of ["kvproto", "tipb"]) {
      const p = join(protoDir, d, target);
      if (existsSync(p)) return p;
    }
    return target;
  };
  root.loadSync(["tikvpb.proto", "select.proto", "analyze.proto", "checksum.proto"]);
  root.resolveAll();
  return root;
}

/** Every message type of the schema, nested ones included. */
export function allMessages(ns: protobuf.NamespaceBase): protobuf.Type[] {
  const out: protobuf.Type[] = [];
  for (const obj of ns.nestedArray) {
    if (obj instanceof protobuf.Type) out.push(obj);
    if (obj instanceof protobuf.Namespace || obj instanceof protobuf.Type) out.push(...allMessages(obj));
  }
  return out;
}

/** Every enum of the schema. */
export function allEnums(ns: protobuf.NamespaceBase): protobuf.Enum[] {
  const out: protobuf.Enum[] = [];
  for (const obj of ns.nestedArray) {
    if (obj instanceof protobuf.Enum) out.push(obj);
    if (obj instanceof protobuf.Namespace || obj instanceof protobuf.Type) out.push(...allEnums(obj));
  }
  return out;
}

/** The generated static class for a reflected type. */
// biome-ignore lint/suspicious/noExplicitAny: walking the generated namespaces by name
export function staticClass(type: protobuf.Type): any {
  // biome-ignore lint/suspicious/noExplicitAny: walking the generated namespaces by name
  let obj: any = generated;
  for (const part of type.fullName.slice(1).split(".")) obj = obj?.[part];
  if (typeof obj !== "function") throw new Error(`no generated class for ${type.fullName}`);
  return obj;
}

const INT32 = fc.integer();
const UINT32 = fc.integer({ min: 0, max: 0xffffffff });
const I64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const U64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

function scalar(type: string): fc.Arbitrary<unknown> {
  switch (type) {
    case "double":
      return fc.double({ noNaN: true });
    case "float":
      return fc.float({ noNaN: true });
    case "int32":
    case "sint32":
    case "sfixed32":
      return INT32;
    case "uint32":
    case "fixed32":
      return UINT32;
    case "int64":
    case "sint64":
    case "sfixed64":
      return I64.map((v) => v.toString());
    case "uint64":
    case "fixed64":
      return U64.map((v) => v.toString());
    case "bool":
      return fc.boolean();
    case "string":
      return fc.string({ maxLength: 8 });
    case "bytes":
      return fc.uint8Array({ maxLength: 8 });
    default:
      throw new Error(`scalar type ${type}`);
  }
}

/**
 * A plain object for `type` in protobufjs's `fromObject` form (64-bit values as decimal strings),
 * nesting at most `depth` levels. Every field may be present or absent; one member per oneof.
 */
export function arbitraryObject(type: protobuf.Type, depth = 2): fc.Arbitrary<Record<string, unknown>> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    let arb: fc.Arbitrary<unknown>;
    const target = field.resolvedType;
    if (target instanceof protobuf.Type) {
      if (depth === 0) continue;
      arb = arbitraryObject(target, depth - 1);
    } else if (target instanceof protobuf.Enum) {
      arb = fc.constantFrom(...Object.values(target.values));
    } else {
      arb = scalar(field.type);
    }
    if (field instanceof protobuf.MapField) {
      const key =
        field.keyType === "string" ? fc.string({ maxLength: 4 }) : fc.integer({ min: 0, max: 1000 });
      arb = fc.dictionary(key.map(String), arb, { maxKeys: 2 });
    } else if (field.repeated) {
      arb = fc.array(arb, { maxLength: 3 });
    }
    parts[field.name] = arb;
  }
  const oneofs = type.oneofsArray.filter((o) => !o.fieldsArray.every((f) => f.options?.proto3_optional));
  const inOneof = new Set(oneofs.flatMap((o) => o.fieldsArray.map((f) => f.name)));
  const plain = Object.fromEntries(Object.entries(parts).filter(([k]) => !inOneof.has(k)));
  // proto2 `required` fields must be present, or decoding rejects the message.
  const required = type.fieldsArray.filter((f) => f.required).map((f) => f.name);
  const base = fc.record(plain, { requiredKeys: required });
  if (oneofs.length === 0) return base as fc.Arbitrary<Record<string, unknown>>;
  const choices = oneofs.flatMap((o) => {
    // Members deeper than `depth` allows were left out of `parts`.
    const members = o.fieldsArray
      .filter((f) => parts[f.name])
      .map((f) => parts[f.name]!.map((v) => [f.name, v] as const));
    return members.length ? [fc.option(fc.oneof(...members))] : [];
  });
  return fc.tuple(base, ...choices).map(([b, ...picked]) => {
    const out: Record<string, unknown> = { ...(b as Record<string, unknown>) };
    for (const p of picked) if (p) out[p[0]] = p[1];
    return out;
  });
}
