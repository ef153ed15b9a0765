// JSON text as MySQL shows it: serde_json's output with `": "` and `", "` separators.
// Behaviour of TiKV components/tidb_query_datatype/src/codec/mysql/json/serde.rs (MySqlFormatter).

import { formatDuration } from "../duration/duration.js";
import type { JsonValue } from "./json-value.js";

const HEX = "0123456789abcdef";

/** Appends `s` as a JSON string literal, escaping as serde_json does. */
function quote(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i);
    start = i + 1;
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += "\\\\";
        break;
      case 0x08:
        out += "\\b";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0c:
        out += "\\f";
        break;
      case 0x0d:
        out += "\\r";
        break;
      default:
        out += `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
    }
  }
  return `${out}${s.slice(start)}"`;
}

/**
 * A double as serde_json writes it (the `ryu` crate's shortest round-trip form): `0.0`, `-0.0`,
 * `3.0`, `0.001`, `1e16`, `1.5e-7`, `9.223372036854776e18`; non-finite values are `null`.
 */
export function formatJsonDouble(v: number): string {
  if (!Number.isFinite(v)) return "null";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const sign = v < 0 ? "-" : "";
  // toExponential() gives the shortest digits that read back as v: "d[.ddd]e±x".
  const exp = Math.abs(v).toExponential();
  const e = exp.indexOf("e");
  const digits = exp[1] === "." ? exp[0] + exp.slice(2, e) : exp.slice(0, e);
  const length = digits.length;
  const kk = Number(exp.slice(e + 1)) + 1; // 10^(kk-1) <= |v| < 10^kk
  const k = kk - length;
  let body: string;
  if (k >= 0 && kk <= 16) body = `${digits}${"0".repeat(k)}.0`;
  else if (kk > 0 && kk <= 16) body = `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  else if (kk > -5 && kk <= 0) body = `0.${"0".repeat(-kk)}${digits}`;
  else if (length === 1) body = `${digits}e${kk - 1}`;
  else body = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
  return sign + body;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/**
 * TiKV's `Time` Display of a packed word after `maximize_fsp`: `YYYY-MM-DD` for a DATE, else
 * `YYYY-MM-DD HH:MM:SS.ffffff`.
 */
export function formatPackedTime(time: bigint): string {
  const hi = Number(time >> 32n);
  const lo = Number(time & 0xffffffffn);
  const year = hi >>> 18;
  const month = (hi >>> 14) & 0xf;
  const day = (hi >>> 9) & 0x1f;
  const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if ((lo & 0xf) >> 1 === 0b111) return date;
  const hour = (hi >>> 4) & 0x1f;
  const minute = ((hi & 0xf) << 2) | (lo >>> 30);
  const second = (lo >>> 24) & 0x3f;
  const micro = (lo >>> 4) & 0xfffff;
  return `${date} ${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(micro, 6)}`;
}

function base64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
}

function write(v: JsonValue): string {
  switch (v.kind) {
    case "literal":
      return v.value === null ? "null" : v.value ? "true" : "false";
    case "i64":
    case "u64":
      return v.value.toString();
    case "double":
      return formatJsonDouble(v.value);
    case "string":
      return quote(v.value);
    case "array": {
      let out = "[";
      for (let i = 0; i < v.items.length; i++) {
        if (i > 0) out += ", ";
        out += write(v.items[i]);
      }
      return `${out}]`;
    }
    case "object": {
      let out = "{";
      for (let i = 0; i < v.entries.length; i++) {
        if (i > 0) out += ", ";
        const [k, m] = v.entries[i];
        out += `${quote(k)}: ${write(m)}`;
      }
      return `${out}}`;
    }
    case "opaque":
      return quote(`base64:type${v.fieldType}:${base64(v.data)}`);
    case "date":
    case "datetime":
    case "timestamp":
      return quote(formatPackedTime(v.time));
    case "time":
      return quote(formatDuration(v.nanos, 6, ":"));
  }
}

/**
 * The text of a JSON value as TiKV/MySQL print it (`CAST(j AS CHAR)`): `{"a": 1, "b": [true,
 * null]}`; strings escaped as serde_json does (`\"`, `\\`, `\b\f\n\r\t`, other control
 * characters as `\u00xx`, nothing else); doubles as {@link formatJsonDouble}; opaque values as
 * `"base64:type<N>:<base64>"`; dates and times quoted, always with 6 fractional digits.
 */
export function jsonToString(v: JsonValue): string {
  return write(v);
}
