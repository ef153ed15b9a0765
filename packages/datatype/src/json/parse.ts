// JSON text to a JsonValue, accepting and rejecting exactly what serde_json (1.0, default
// features) does for TiKV `Json::from_str` (TiKV codec/mysql/json/serde.rs).

import { ERR_UNKNOWN, EvalError } from "../errors.js";
import { Json, type JsonValue } from "./json-value.js";

const ERR = {
  eofList: "EOF while parsing a list",
  eofObject: "EOF while parsing an object",
  eofString: "EOF while parsing a string",
  eofValue: "EOF while parsing a value",
  expectedColon: "expected `:`",
  expectedListCommaOrEnd: "expected `,` or `]`",
  expectedObjectCommaOrEnd: "expected `,` or `}`",
  expectedIdent: "expected ident",
  expectedValue: "expected value",
  invalidEscape: "invalid escape",
  invalidNumber: "invalid number",
  numberOutOfRange: "number out of range",
  invalidCodePoint: "invalid unicode code point",
  controlChar: "control character (\\u0000-\\u001F) found while parsing a string",
  keyMustBeString: "key must be a string",
  loneSurrogate: "lone leading surrogate in hex escape",
  trailingComma: "trailing comma",
  trailingCharacters: "trailing characters",
  unexpectedEndOfHexEscape: "unexpected end of hex escape",
  recursionLimit: "recursion limit exceeded",
} as const;

/** serde_json's default nesting limit: the 128th open container is an error. */
const MAX_DEPTH = 128;
const U64_MAX = 2n ** 64n - 1n;
const I64_MAX = 2n ** 63n - 1n;
const I64_MIN_ABS = 2n ** 63n;
const I32_MAX = 2_147_483_647;
const I32_MIN = -2_147_483_648;

/** 1e0 ..= 1e308, correctly rounded (as Rust's literals are). */
const POW10: number[] = Array.from({ length: 309 }, (_, i) => Number(`1e${i}`));

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The u64 significand of a number literal: a JS number while exact, a bigint beyond. */
class Significand {
  n = 0;
  big: bigint | null = null;

  /** `sig * 10 + d` unless that exceeds u64 (then false, unchanged). */
  push(d: number): boolean {
    if (this.big === null) {
      const t = this.n * 10 + d;
      if (t <= Number.MAX_SAFE_INTEGER) {
        this.n = t;
        return true;
      }
      this.big = BigInt(this.n);
    }
    const t = this.big * 10n + BigInt(d);
    if (t > U64_MAX) return false;
    this.big = t;
    return true;
  }

  isZero(): boolean {
    return this.big === null ? this.n === 0 : this.big === 0n;
  }

  /** Rust `u64 as f64`: round to nearest, ties to even (as `Number(bigint)` does). */
  toF64(): number {
    return this.big === null ? this.n : Number(this.big);
  }

  toBigInt(): bigint {
    return this.big ?? BigInt(this.n);
  }
}

class Parser {
  private readonly s: string;
  private i = 0;
  private depth = 0;

  constructor(s: string) {
    this.s = s;
  }

  /**
   * Throws serde_json's error at code unit `index` (plus one byte for a "peek" error, as serde
   * reports the byte after the one it looked at), with its line and UTF-8 byte column.
   */
  private fail(code: string, index: number, peek: boolean): never {
    const bytes = Buffer.from(this.s, "utf8");
    const at = Math.min(bytes.length, Buffer.byteLength(this.s.slice(0, index), "utf8") + (peek ? 1 : 0));
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < at; k++) {
      if (bytes[k] === 0x0a) {
        line++;
        lineStart = k + 1;
      }
    }
    const debugCode = code.replace(/\\/g, "\\\\");
    throw new EvalError(
      `Illegal Json text: Error("${debugCode}", line: ${line}, column: ${at - lineStart})`,
      ERR_UNKNOWN,
    );
  }

  /** Error at the current position (after the byte just consumed). */
  private error(code: string): never {
    return this.fail(code, this.i, false);
  }

  /** Error about the byte at the current position (not consumed). */
  private peekError(code: string): never {
    return this.fail(code, this.i, true);
  }

  private peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }

  private skipWhitespace(): number {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) return c;
      this.i++;
    }
    return -1;
  }

  parseDocument(): JsonValue {
    const v = this.parseValue();
    if (this.skipWhitespace() !== -1) this.peekError(ERR.trailingCharacters);
    return v;
  }

  private parseValue(): JsonValue {
    const c = this.skipWhitespace();
    switch (c) {
      case -1:
        return this.peekError(ERR.eofValue);
      case 0x6e: // n
        this.i++;
        this.parseIdent("ull");
        return Json.null();
      case 0x74: // t
        this.i++;
        this.parseIdent("rue");
        return Json.bool(true);
      case 0x66: // f
        this.i++;
        this.parseIdent("alse");
        return Json.bool(false);
      case 0x2d: // -
        this.i++;
        return this.parseNumber(false);
      case 0x22: // "
        this.i++;
        return { kind: "string", value: this.parseString() };
      case 0x5b: // [
        return this.parseArray();
      case 0x7b: // {
        return this.parseObject();
      default:
        if (isDigit(c)) return this.parseNumber(true);
        return this.peekError(ERR.expectedValue);
    }
  }

  private parseIdent(rest: string): void {
    for (let k = 0; k < rest.length; k++) {
      if (this.i >= this.s.length) this.error(ERR.eofValue);
      const c = this.s.charCodeAt(this.i++);
      if (c !== rest.charCodeAt(k)) this.error(ERR.expectedIdent);
    }
  }

  private enter(): void {
    if (++this.depth >= MAX_DEPTH) this.peekError(ERR.recursionLimit);
  }

  private parseArray(): JsonValue {
    this.enter();
    this.i++;
    const items: JsonValue[] = [];
    let first = true;
    for (;;) {
      const c = this.skipWhitespace();
      if (c === -1) this.peekError(ERR.eofList);
      if (c === 0x5d) break;
      if (first) {
        first = false;
      } else if (c === 0x2c) {
        this.i++;
        const d = this.skipWhitespace();
        if (d === 0x5d) this.peekError(ERR.trailingComma);
        if (d === -1) this.peekError(ERR.eofValue);
      } else {
        this.peekError(ERR.expectedListCommaOrEnd);
      }
      items.push(this.parseValue());
    }
    this.i++;
    this.depth--;
    return { kind: "array", items };
  }

  private parseObject(): JsonValue {
    this.enter();
    this.i++;
    const members: [string, JsonValue][] = [];
    let first = true;
    for (;;) {
      const c = this.skipWhitespace();
      if (c === -1) this.peekError(ERR.eofObject);
      if (c === 0x7d) break;
      if (first) {
        first = false;
        if (c !== 0x22) this.peekError(ERR.keyMustBeString);
      } else if (c === 0x2c) {
        this.i++;
        const d = this.skipWhitespace();
        if (d === 0x7d) this.peekError(ERR.trailingComma);
        if (d === -1) this.peekError(ERR.eofValue);
        if (d !== 0x22) this.peekError(ERR.keyMustBeString);
      } else {
        this.peekError(ERR.expectedObjectCommaOrEnd);
      }
      this.i++;
      const key = this.parseString();
      const colon = this.skipWhitespace();
      if (colon === -1) this.peekError(ERR.eofObject);
      if (colon !== 0x3a) this.peekError(ERR.expectedColon);
      this.i++;
      members.push([key, this.parseValue()]);
    }
    this.i++;
    this.depth--;
    return Json.object(members);
  }

  /** After the opening quote; leaves the index after the closing quote. */
  private parseString(): string {
    const s = this.s;
    let out = "";
    let start = this.i;
    for (;;) {
      while (this.i < s.length) {
        const c = s.charCodeAt(this.i);
        if (c === 0x22 || c === 0x5c || c < 0x20) break;
        if (c >= 0xd800 && c <= 0xdfff) this.checkRawSurrogate(c);
        this.i++;
      }
      if (this.i >= s.length) this.error(ERR.eofString);
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(start, this.i);
        this.i++;
        return out;
      }
      if (c === 0x5c) {
        out += s.slice(start, this.i);
        this.i++;
        out += this.parseEscape();
        start = this.i;
        continue;
      }
      this.i++;
      this.error(ERR.controlChar);
    }
  }

  /** A raw surrogate in the text must be half of a pair: the input is meant to be UTF-8. */
  private checkRawSurrogate(c: number): void {
    const next = this.i + 1 < this.s.length ? this.s.charCodeAt(this.i + 1) : 0;
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      this.i++;
      return;
    }
    this.i++;
    this.error(ERR.invalidCodePoint);
  }

  private parseEscape(): string {
    if (this.i >= this.s.length) this.error(ERR.eofString);
    const c = this.s.charCodeAt(this.i++);
    switch (c) {
      case 0x22:
        return '"';
      case 0x5c:
        return "\\";
      case 0x2f:
        return "/";
      case 0x62:
        return "\b";
      case 0x66:
        return "\f";
      case 0x6e:
        return "\n";
      case 0x72:
        return "\r";
      case 0x74:
        return "\t";
      case 0x75:
        return this.parseUnicodeEscape();
      default:
        return this.error(ERR.invalidEscape);
    }
  }

  private hex4(): number {
    if (this.i + 4 > this.s.length) {
      this.i = this.s.length;
      this.error(ERR.eofString);
    }
    let v = 0;
    let ok = true;
    for (let k = 0; k < 4; k++) {
      const c = this.s.charCodeAt(this.i + k);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else {
        ok = false;
        d = 0;
      }
      v = v * 16 + d;
    }
    this.i += 4;
    if (!ok) this.error(ERR.invalidEscape);
    return v;
  }

  private parseUnicodeEscape(): string {
    const n = this.hex4();
    if (n >= 0xdc00 && n <= 0xdfff) this.error(ERR.loneSurrogate);
    if (n < 0xd800 || n > 0xdbff) return String.fromCharCode(n);
    for (const expected of [0x5c, 0x75]) {
      if (this.i >= this.s.length) this.error(ERR.eofString);
      const c = this.s.charCodeAt(this.i++);
      if (c !== expected) this.error(ERR.unexpectedEndOfHexEscape);
    }
    const n2 = this.hex4();
    if (n2 < 0xdc00 || n2 > 0xdfff) this.error(ERR.loneSurrogate);
    return String.fromCharCode(n, n2);
  }

  // ---- numbers (serde_json de.rs parse_integer and friends, without float_roundtrip) ----

  private parseNumber(positive: boolean): JsonValue {
    if (this.i >= this.s.length) this.error(ERR.eofValue);
    const c = this.s.charCodeAt(this.i++);
    const sig = new Significand();
    if (c === 48) {
      if (isDigit(this.peek())) this.peekError(ERR.invalidNumber);
    } else if (c >= 49 && c <= 57) {
      sig.push(c - 48);
      for (;;) {
        const d = this.peek();
        if (!isDigit(d)) break;
        if (!sig.push(d - 48)) return this.double(this.parseLongInteger(positive, sig));
        this.i++;
      }
    } else {
      this.error(ERR.invalidNumber);
    }
    const p = this.peek();
    if (p === 0x2e) return this.double(this.parseDecimal(positive, sig, 0));
    if (p === 0x65 || p === 0x45) return this.double(this.parseExponent(positive, sig, 0));
    const v = sig.toBigInt();
    if (positive) {
      // TiKV's visitor keeps values below i64::MAX as I64 (so i64::MAX itself becomes U64).
      return v < I64_MAX ? { kind: "i64", value: v } : { kind: "u64", value: v };
    }
    if (v === 0n || v > I64_MIN_ABS) return this.double(-sig.toF64());
    return { kind: "i64", value: -v };
  }

  private double(v: number): JsonValue {
    return { kind: "double", value: v };
  }

  private parseLongInteger(positive: boolean, sig: Significand): number {
    let exponent = 0;
    for (;;) {
      const c = this.peek();
      if (isDigit(c)) {
        this.i++;
        exponent++;
      } else if (c === 0x2e) {
        return this.parseDecimal(positive, sig, exponent);
      } else if (c === 0x65 || c === 0x45) {
        return this.parseExponent(positive, sig, exponent);
      } else {
        return this.fromParts(positive, sig, exponent);
      }
    }
  }

  private parseDecimal(positive: boolean, sig: Significand, expBefore: number): number {
    this.i++;
    let expAfter = 0;
    for (;;) {
      const c = this.peek();
      if (!isDigit(c)) break;
      if (!sig.push(c - 48)) return this.parseDecimalOverflow(positive, sig, expBefore + expAfter);
      this.i++;
      expAfter--;
    }
    if (expAfter === 0) {
      if (this.i < this.s.length) this.peekError(ERR.invalidNumber);
      this.peekError(ERR.eofValue);
    }
    const exponent = expBefore + expAfter;
    const p = this.peek();
    if (p === 0x65 || p === 0x45) return this.parseExponent(positive, sig, exponent);
    return this.fromParts(positive, sig, exponent);
  }

  private parseDecimalOverflow(positive: boolean, sig: Significand, exponent: number): number {
    while (isDigit(this.peek())) this.i++;
    const p = this.peek();
    if (p === 0x65 || p === 0x45) return this.parseExponent(positive, sig, exponent);
    return this.fromParts(positive, sig, exponent);
  }

  private parseExponent(positive: boolean, sig: Significand, startingExp: number): number {
    this.i++;
    let positiveExp = true;
    const sign = this.peek();
    if (sign === 0x2b) {
      this.i++;
    } else if (sign === 0x2d) {
      this.i++;
      positiveExp = false;
    }
    if (this.i >= this.s.length) this.error(ERR.eofValue);
    const first = this.s.charCodeAt(this.i++);
    if (!isDigit(first)) this.error(ERR.invalidNumber);
    let exp = first - 48;
    for (;;) {
      const c = this.peek();
      if (!isDigit(c)) break;
      this.i++;
      const d = c - 48;
      if (exp * 10 + d > I32_MAX) {
        if (!sig.isZero() && positiveExp) this.error(ERR.numberOutOfRange);
        while (isDigit(this.peek())) this.i++;
        return positive ? 0 : -0;
      }
      exp = exp * 10 + d;
    }
    const finalExp = positiveExp ? startingExp + exp : startingExp - exp;
    return this.fromParts(positive, sig, Math.min(I32_MAX, Math.max(I32_MIN, finalExp)));
  }

  /** serde_json's `f64_from_parts` without float_roundtrip: not always correctly rounded. */
  private fromParts(positive: boolean, sig: Significand, exponent: number): number {
    let f = sig.toF64();
    for (;;) {
      const abs = Math.abs(exponent);
      if (abs < POW10.length) {
        if (exponent >= 0) {
          f *= POW10[abs];
          if (!Number.isFinite(f)) this.error(ERR.numberOutOfRange);
        } else {
          f /= POW10[abs];
        }
        break;
      }
      if (f === 0) break;
      if (exponent >= 0) this.error(ERR.numberOutOfRange);
      f /= 1e308;
      exponent += 308;
    }
    return positive ? f : -f;
  }
}

/**
 * Parses JSON text as TiKV `Json::from_str` (serde_json) does. Integers without fraction or
 * exponent become I64 when below i64::MAX, U64 up to u64::MAX, and a double beyond; negative
 * integers become I64 down to i64::MIN, and `-0` the double -0.0. Other numbers are doubles,
 * computed as serde_json does without `float_roundtrip` (which can differ from correct rounding
 * in the last bit). Repeated object keys keep the last value. Nesting deeper than 127 is
 * rejected. Invalid text is an {@link EvalError} (1105) whose message is TiKV's, e.g.
 * `Illegal Json text: Error("expected value", line: 1, column: 1)` with serde_json's line and
 * UTF-8 byte column.
 */
export function parseJson(text: string): JsonValue {
  return new Parser(text).parseDocument();
}
