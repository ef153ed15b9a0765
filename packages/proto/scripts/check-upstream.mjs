#!/usr/bin/env node
// Compares this package's .proto files with an upstream checkout of pingcap/kvproto and pingcap/tipb:
//   node scripts/check-upstream.mjs <kvproto-dir> <tipb-dir>
// For every message, enum and service of ours, upstream must have the same thing: same field
// numbers, names, types, labels, packing and oneof membership; the same enum values; the same
// method types and streaming. Our messages must also have every field upstream has, since a field
// left out would be skipped silently. Not run by CI (it needs the upstream sources); run it when the
// .proto files change or when moving to a newer upstream commit, and update src/upstream.ts.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const protobuf = require("protobufjs");

const [kvprotoDir, tipbDir] = process.argv.slice(2);
if (!kvprotoDir || !tipbDir) {
  console.error("usage: check-upstream.mjs <kvproto-dir> <tipb-dir>");
  process.exit(2);
}
const pkgDir = new URL("..", import.meta.url).pathname;

function load(dirs, files) {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    for (const d of dirs) {
      const p = join(d, target);
      if (existsSync(p)) return p;
    }
    return target;
  };
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return root;
}

const ours = load(
  [join(pkgDir, "proto/kvproto"), join(pkgDir, "proto/tipb")],
  ["tikvpb.proto", "coprocessor.proto", "select.proto", "analyze.proto", "checksum.proto"],
);
const upstream = load(
  [join(kvprotoDir, "proto"), join(kvprotoDir, "include"), join(tipbDir, "proto"), join(tipbDir, "include")],
  ["tikvpb.proto", "coprocessor.proto", "select.proto", "analyze.proto", "checksum.proto"],
);

const problems = [];
let messages = 0;
let enums = 0;
let fields = 0;

function fieldShape(f) {
  f.resolve();
  const type = f.resolvedType ? f.resolvedType.fullName : f.type;
  const packed = f.repeated ? f.packed : undefined;
  const oneof = f.partOf && !f.options?.proto3_optional ? f.partOf.name : "";
  return JSON.stringify({
    name: f.name,
    type,
    rule: f.rule ?? "",
    map: f.map ? f.keyType : "",
    packed,
    oneof,
    required: f.required,
  });
}

function walk(ns) {
  for (const obj of ns.nestedArray) {
    const up = upstream.lookup(obj.fullName);
    if (obj instanceof protobuf.Type) {
      messages++;
      if (!(up instanceof protobuf.Type)) {
        problems.push(`${obj.fullName}: no such message upstream`);
      } else {
        for (const f of obj.fieldsArray) {
          fields++;
          const u = up.fieldsById[f.id];
          if (!u) problems.push(`${obj.fullName}.${f.name} = ${f.id}: no field ${f.id} upstream`);
          else if (fieldShape(f) !== fieldShape(u)) {
            problems.push(`${obj.fullName} field ${f.id}: ours ${fieldShape(f)}, upstream ${fieldShape(u)}`);
          }
        }
        for (const u of up.fieldsArray) {
          if (!obj.fieldsById[u.id])
            problems.push(`${obj.fullName}: missing upstream field ${u.name} = ${u.id}`);
        }
      }
      walk(obj);
    } else if (obj instanceof protobuf.Enum) {
      enums++;
      if (!(up instanceof protobuf.Enum)) problems.push(`${obj.fullName}: no such enum upstream`);
      else if (JSON.stringify(obj.values) !== JSON.stringify(up.values)) {
        problems.push(`${obj.fullName}: values differ from upstream`);
      }
    } else if (obj instanceof protobuf.Service) {
      if (!(up instanceof protobuf.Service)) problems.push(`${obj.fullName}: no such service upstream`);
      else {
        for (const m of obj.methodsArray) {
          const u = up.methods[m.name];
          const shape = (x) =>
            `${x.resolvedRequestType.fullName}/${x.requestStream}->${x.resolvedResponseType.fullName}/${x.responseStream}`;
          m.resolve();
          if (!u) {
            problems.push(`${obj.fullName}.${m.name}: no such method upstream`);
            continue;
          }
          u.resolve();
          if (shape(m) !== shape(u)) problems.push(`${obj.fullName}.${m.name}: ${shape(m)} vs ${shape(u)}`);
        }
      }
    } else if (obj instanceof protobuf.Namespace) {
      walk(obj);
    }
  }
}
walk(ours);

for (const p of problems) console.error(p);
console.log(`${messages} messages, ${fields} fields, ${enums} enums checked: ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
