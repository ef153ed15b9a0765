// JSON_ARRAYAGG(expr) and JSON_OBJECTAGG(key, value). TiKV rejects them; the behaviour follows
// TiDB's pkg/executor/aggfuncs/func_json_arrayagg.go and func_json_objectagg.go
// (`getRealJSONValue` for how a SQL value becomes a JSON value):
// - JSON_ARRAYAGG collects every row's value, NULL as JSON null, in row order;
// - JSON_OBJECTAGG sets key → value per row, a later row's value replacing an earlier one of the
//   same key; a NULL key is error 3158, a key of the binary charset error 3144;
// - a group without rows is NULL.
// Partial results (docs: /tmp/copr-aggr-extras.md): the binary JSON array / object so far. Merge:
// concatenate the arrays in order / merge the objects with later partials' keys winning, skipping
// NULL partials.
import { decodeJsonBinary, encodeJsonBinary } from "@copr/codec";
import {
  assert,
  Collation,
  type ColumnBuilder,
  collationOf,
  type Decimal,
  type Duration,
  type Enum,
  type EvalContext,
  EvalError,
  EvalType,
  type FieldType,
  FieldTypeTp,
  isUnsigned,
  Json,
  type JsonValue,
  type MySqlSet,
  type Time,
  TimeType,
} from "@copr/datatype";
import type { AggrFunction, AggrFunctionState } from "./interface.js";
import { appendValue, StateBase } from "./util.js";

/** MySQL error 3158: JSON documents may not contain NULL member names. */
export const ERR_JSON_DOCUMENT_NULL_KEY = 3158;
/** MySQL error 3144: a JSON value cannot be made from a string of this character set. */
export const ERR_INVALID_JSON_CHARSET = 3144;

const utf8 = new TextDecoder();

/** True when strings of `ft` are binary (charset `binary`; without a charset, collation 63). */
export function isBinaryCharset(ft: FieldType): boolean {
  if (ft.charset !== undefined && ft.charset !== "") return ft.charset === "binary";
  return collationOf(ft) === Collation.Binary;
}

/**
 * The JSON value of a SQL value of eval type `evalType` from a column of type `ft` (TiDB
 * `getRealJSONValue`): NULL → null; integers → signed or unsigned integers (BIT → opaque bytes);
 * DOUBLE/FLOAT → double; DECIMAL → double; strings → string, or opaque bytes of the column's type
 * for the binary charset (BINARY(n) padded with zero bytes to n); DATE/DATETIME/TIMESTAMP →
 * date/datetime/timestamp; TIME → time; JSON → itself; ENUM/SET → their text.
 */
export function jsonValueOf(evalType: EvalType, value: unknown, ft: FieldType): JsonValue {
  if (value === null || value === undefined) return Json.null();
  switch (evalType) {
    case EvalType.Int: {
      const v = BigInt(value as bigint | number);
      if (ft.tp === FieldTypeTp.Bit) return Json.opaque(FieldTypeTp.Bit, bitBytes(v, ft.flen ?? -1));
      return isUnsigned(ft) ? Json.u64(BigInt.asUintN(64, v)) : Json.i64(v);
    }
    case EvalType.Real:
      return Json.double(value as number);
    case EvalType.Decimal:
      return Json.double((value as Decimal).toF64());
    case EvalType.Bytes: {
      const b = value as Uint8Array;
      if (!isBinaryCharset(ft)) return Json.string(utf8.decode(b));
      const flen = ft.flen ?? -1;
      if (ft.tp === FieldTypeTp.String && flen > b.length) {
        const padded = new Uint8Array(flen);
        padded.set(b);
        return Json.opaque(ft.tp, padded);
      }
      return Json.opaque(ft.tp, b.slice());
    }
    case EvalType.DateTime: {
      const t = value as Time;
      const bits = t.toCoreU64();
      return t.type === TimeType.Date
        ? Json.date(bits)
        : t.type === TimeType.Timestamp
          ? Json.timestamp(bits)
          : Json.datetime(bits);
    }
    case EvalType.Duration: {
      const d = value as Duration;
      return Json.time(d.nanos, d.fsp);
    }
    case EvalType.Json:
      return decodeJsonBinary(value as Uint8Array);
    case EvalType.Enum:
      return Json.string((value as Enum).name);
    case EvalType.Set:
      return Json.string((value as MySqlSet).toString());
    default:
      assert(false, `a ${evalType} value has no JSON form`);
  }
}

/** A BIT value's bytes, big-endian, as many as its width needs (8 when unknown). */
function bitBytes(v: bigint, flen: number): Uint8Array {
  const n = flen > 0 ? Math.ceil(flen / 8) : 8;
  const out = new Uint8Array(n);
  let x = BigInt.asUintN(64, v);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** The JSON_ARRAYAGG aggregate function over arguments of type `argType` (column type `argFt`). */
export class AggrFnJsonArrayAgg implements AggrFunction {
  readonly name: string;

  constructor(
    readonly argType: EvalType,
    readonly argFt: FieldType,
  ) {
    this.name = `AggrFnJsonArrayAgg<${argType}>`;
  }

  createState(): AggrFunctionState {
    return new JsonArrayAggState(this.argType, this.argFt);
  }
}

class JsonArrayAggState extends StateBase {
  private readonly items: JsonValue[] = [];

  constructor(
    private readonly argType: EvalType,
    private readonly argFt: FieldType,
  ) {
    super();
  }

  update(_ctx: EvalContext, value: unknown): void {
    this.items.push(jsonValueOf(this.argType, value, this.argFt));
  }

  override updateRepeat(_ctx: EvalContext, value: unknown, times: number): void {
    if (times <= 0) return;
    const v = jsonValueOf(this.argType, value, this.argFt);
    for (let i = 0; i < times; i++) this.items.push(v);
  }

  pushResult(_ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    appendValue(target[0]!, this.items.length === 0 ? null : encodeJsonBinary(Json.array(this.items)));
  }
}

/**
 * The row function of JSON_OBJECTAGG: the one-member object `{key: value}` of a row, in binary
 * JSON. `keyType` is Bytes, Enum or Set; `keyFt` decides the binary-charset check.
 */
export function jsonObjectMember(
  keyType: EvalType,
  keyFt: FieldType,
  valueType: EvalType,
  valueFt: FieldType,
): (key: unknown, value: unknown) => Uint8Array {
  const binaryKey = keyType === EvalType.Bytes && isBinaryCharset(keyFt);
  return (key, value) => {
    if (key === null) {
      throw new EvalError("JSON documents may not contain NULL member names.", ERR_JSON_DOCUMENT_NULL_KEY);
    }
    if (binaryKey) {
      throw new EvalError(
        "Cannot create a JSON value from a string with CHARACTER SET 'binary'.",
        ERR_INVALID_JSON_CHARSET,
      );
    }
    const k =
      keyType === EvalType.Enum
        ? (key as Enum).name
        : keyType === EvalType.Set
          ? (key as MySqlSet).toString()
          : utf8.decode(key as Uint8Array);
    return encodeJsonBinary(Json.object([[k, jsonValueOf(valueType, value, valueFt)]]));
  };
}

/**
 * The JSON_OBJECTAGG aggregate function. Its states take one-member objects (binary JSON, as
 * {@link jsonObjectMember} makes them), one per row.
 */
export class AggrFnJsonObjectAgg implements AggrFunction {
  readonly name = "AggrFnJsonObjectAgg";

  createState(): AggrFunctionState {
    return new JsonObjectAggState();
  }
}

class JsonObjectAggState extends StateBase {
  private readonly members = new Map<string, JsonValue>();

  update(_ctx: EvalContext, value: unknown): void {
    if (value === null) return;
    const v = decodeJsonBinary(value as Uint8Array);
    assert(v.kind === "object", "JSON_OBJECTAGG states take objects");
    for (const [k, m] of v.entries) this.members.set(k, m);
  }

  override updateRepeat(ctx: EvalContext, value: unknown, times: number): void {
    if (times > 0) this.update(ctx, value);
  }

  pushResult(_ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    appendValue(target[0]!, this.members.size === 0 ? null : encodeJsonBinary(Json.object(this.members)));
  }
}

/** Merges JSON_ARRAYAGG partial results in order: the concatenated array, NULL if all are NULL. */
export function mergeJsonArrayAgg(partials: readonly (Uint8Array | null)[]): Uint8Array | null {
  const items: JsonValue[] = [];
  let any = false;
  for (const p of partials) {
    if (p === null) continue;
    any = true;
    const v = decodeJsonBinary(p);
    assert(v.kind === "array", "a JSON_ARRAYAGG partial result is an array");
    items.push(...v.items);
  }
  return any ? encodeJsonBinary(Json.array(items)) : null;
}

/**
 * Merges JSON_OBJECTAGG partial results in order: one object, a key of a later partial replacing
 * the same key of an earlier one; NULL if all are NULL.
 */
export function mergeJsonObjectAgg(partials: readonly (Uint8Array | null)[]): Uint8Array | null {
  const members = new Map<string, JsonValue>();
  let any = false;
  for (const p of partials) {
    if (p === null) continue;
    any = true;
    const v = decodeJsonBinary(p);
    assert(v.kind === "object", "a JSON_OBJECTAGG partial result is an object");
    for (const [k, m] of v.entries) members.set(k, m);
  }
  return any ? encodeJsonBinary(Json.object(members)) : null;
}
