import { describe, expect, it } from "vitest";
import {
  DECIMAL_CHUNK_WORDS,
  DECIMAL_STRUCT_SIZE,
  Decimal,
  DecimalStatus,
  decimalBinSize,
  decimalBinToWords,
  decimalFromBytes,
  decimalResultInto,
} from "../../src/decimal/index.js";
import { ERR_DATA_OUT_OF_RANGE, EvalError, WARN_DATA_TRUNCATED } from "../../src/errors.js";
import { EvalContext, EvalFlag } from "../../src/eval-context.js";
import { catchError } from "../../src/testing/index.js";

const { Ok, Truncated, Overflow } = DecimalStatus;
const dec = (s: string) => Decimal.fromString(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("binary format", () => {
  // cases: TiKV codec/mysql/decimal.rs test_codec
  it.each([
    ["-10.55", 4, 2, "-10.55", Ok],
    ["0.0123456789012345678912345", 30, 25, "0.0123456789012345678912345", Ok],
    ["12345", 5, 0, "12345", Ok],
    ["12345", 10, 3, "12345.000", Ok],
    ["123.45", 10, 3, "123.450", Ok],
    ["-123.45", 20, 10, "-123.4500000000", Ok],
    [".00012345000098765", 15, 14, "0.00012345000098", Truncated],
    [".00012345000098765", 22, 20, "0.00012345000098765000", Ok],
    [".12345000098765", 30, 20, "0.12345000098765000000", Ok],
    ["-.000000012345000098765", 30, 20, "-0.00000001234500009876", Truncated],
    ["1234500009876.5", 30, 5, "1234500009876.50000", Ok],
    ["111111111.11", 10, 2, "11111111.11", Overflow],
    ["000000000.01", 7, 3, "0.010", Ok],
    ["123.4", 10, 2, "123.40", Ok],
    ["1000", 3, 0, "0", Overflow],
    ["10000000000000000000.23", 23, 2, "10000000000000000000.23", Ok],
    // Extra rows: fewer fractional digits in the same number of bytes (TiKV writes digits that do
    // not decode here; they are cut, see docs), zero, negative and maximal values.
    ["0.1234", 4, 3, "0.123", Truncated],
    ["0.123456789", 9, 8, "0.12345678", Truncated],
    ["0", 1, 0, "0", Ok],
    ["0.000", 5, 3, "0.000", Ok],
    ["-0.5", 1, 1, "-0.5", Ok],
    [`${"9".repeat(35)}.${"9".repeat(30)}`, 65, 30, `${"9".repeat(35)}.${"9".repeat(30)}`, Ok],
    [`-${"9".repeat(35)}.${"9".repeat(30)}`, 65, 30, `-${"9".repeat(35)}.${"9".repeat(30)}`, Ok],
  ])("%s as DECIMAL(%i,%i) → %s", (s, prec, frac, exp, st) => {
    const bin = dec(s).toBin(prec, frac);
    expect(bin.status).toBe(st);
    expect(bin.value.length).toBe(decimalBinSize(prec, frac));
    const back = Decimal.fromBin(bin.value, 0, prec, frac);
    expect(back.value.toStringValue()).toBe(exp);
    expect(back.value.resultFracCnt).toBe(frac);
    expect(back.bytesRead).toBe(bin.value.length);
  });

  // cases: the example in MySQL strings/decimal.c (decimal2bin comment)
  it.each([
    ["1234567890.1234", "810dfb38d204d2"],
    ["-1234567890.1234", "7ef204c72dfb2d"],
  ])("%s as DECIMAL(14,4) is %s", (s, bytes) => {
    expect(hex(dec(s).toBin(14, 4).value)).toBe(bytes);
    expect(Decimal.fromBin(Buffer.from(bytes, "hex"), 0, 14, 4).value.toStringValue()).toBe(s);
  });

  it.each([
    ["0", 5, 2, "800000"],
    ["1", 1, 0, "81"],
    ["-1", 1, 0, "7e"],
    ["0.5", 1, 1, "85"],
    ["999999999", 9, 0, "bb9ac9ff"],
  ])("%s as DECIMAL(%i,%i) is %s (worked out by hand)", (s, prec, frac, bytes) => {
    expect(hex(dec(s).toBin(prec, frac).value)).toBe(bytes);
  });

  it.each([
    [1, 0, 1],
    [2, 0, 1],
    [3, 0, 2],
    [9, 0, 4],
    [10, 0, 5],
    [14, 4, 7],
    [18, 9, 8],
    [20, 10, 10],
    [30, 25, 15],
    [65, 0, 29],
    [65, 30, 30],
  ])("decimalBinSize(%i, %i) = %i", (prec, frac, size) => {
    expect(decimalBinSize(prec, frac)).toBe(size);
  });

  it("a bad (prec, frac) after a good one is still refused, and the good one still read (layout memo)", () => {
    const words = new Int32Array(10);
    const bin = dec("12.34").toBin(15, 2).value;
    for (let i = 0; i < 3; i++) {
      expect(decimalBinToWords(bin, 0, 15, 2, words, 0)).toBe(decimalBinSize(15, 2));
      expect(Decimal.readWords(words, 0).toString()).toBe("12.34");
      expect(() => decimalBinToWords(bin, 0, 2, 5, words, 0)).toThrow(
        /invalid decimal, precision 2 and frac_cnt 5/,
      );
      expect(() => decimalBinSize(2, 5)).toThrow(/invalid precision 2 and fraction 5/);
      expect(() => decimalBinToWords(bin, 0, 90, 0, words, 0)).toThrow(/more than 9 words/);
    }
  });

  it("reads at an offset inside a larger buffer and writes into one", () => {
    const buf = new Uint8Array(20).fill(0xee);
    expect(dec("-10.55").writeBin(buf, 5, 4, 2)).toBe(Ok);
    expect(buf[4]).toBe(0xee);
    expect(buf[5 + decimalBinSize(4, 2)]).toBe(0xee);
    const r = Decimal.fromBin(buf, 5, 4, 2);
    expect(r.value.toStringValue()).toBe("-10.55");
    expect(r.bytesRead).toBe(2);
  });

  it.each([
    [3, 4],
    [0, 0],
    [-1, 0],
    [1.5, 0],
    [82, 0],
    [80, 1],
    [256, 0],
  ])("rejects DECIMAL(%d,%d) with a CodecError", (prec, frac) => {
    const e = catchError(() => dec("1").toBin(prec, frac));
    expect(e.name).toBe("CodecError");
    expect(catchError(() => Decimal.fromBin(new Uint8Array(64), 0, prec, frac)).name).toBe("CodecError");
    expect(catchError(() => decimalBinSize(prec, frac)).name).toBe("CodecError");
  });

  it.each([
    ["too short", [0x81], 14, 4],
    ["empty", [], 1, 0],
    ["int word out of range", [0xbb, 0x9a, 0xca, 0x00], 9, 0],
    ["leading digits out of range", [0x80 | 100], 1, 0],
    ["trailing digits out of range", [0x81, 100], 3, 2],
    ["frac word out of range", [0x80, 0x3b, 0x9a, 0xca, 0x00], 10, 9],
  ])("bad input (%s) is a CodecError", (_what, bytes, prec, frac) => {
    const e = catchError(() => Decimal.fromBin(new Uint8Array(bytes), 0, prec, frac));
    expect(e.name).toBe("CodecError");
  });

  it("rejects an offset past the end and a too small output buffer", () => {
    expect(catchError(() => Decimal.fromBin(new Uint8Array(7), 1, 14, 4)).name).toBe("CodecError");
    expect(catchError(() => dec("1").writeBin(new Uint8Array(6), 0, 14, 4)).name).toBe("CodecError");
  });
});

describe("chunk words", () => {
  it("reads TiDB's MyDecimal bytes", () => {
    // cases: TiKV codec/mysql/decimal.rs test_decode_chunk_from_tidb
    const src = [
      3, 3, 3, 0, 123, 0, 0, 0, 0, 2, 46, 27, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0,
    ];
    expect(src.length).toBe(DECIMAL_STRUCT_SIZE);
    const words = new Int32Array(new Uint8Array(src).buffer);
    expect(words.length).toBe(DECIMAL_CHUNK_WORDS);
    const d = Decimal.readWords(words, 0);
    expect(d.equals(Decimal.fromF64(123.456))).toBe(true);
    expect([d.intCnt, d.fracCnt, d.resultFracCnt, d.negative]).toEqual([3, 3, 3, false]);
    // And writes them back byte for byte.
    const out = new Int32Array(10);
    d.writeWords(out, 0);
    expect(Array.from(new Uint8Array(out.buffer))).toEqual(src);
  });

  it("writes the header little-endian: digitsInt, digitsFrac, resultFrac, negative", () => {
    const out = new Int32Array(12);
    dec("-12.345").writeWords(out, 2);
    const bytes = new Uint8Array(out.buffer, 8, 40);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([2, 3, 3, 1]);
    expect(out[3]).toBe(12);
    expect(out[4]).toBe(345000000);
  });

  // cases: TiKV codec/mysql/decimal.rs test_chunk_codec
  it.each([
    ["-10.55"],
    ["0.0123456789012345678912345"],
    ["12345"],
    ["123.45"],
    [".00012345000098765"],
    [".12345000098765"],
    ["1234500009876.5"],
    ["111111111.11"],
    ["000000000.01"],
    ["123.4"],
    ["1000"],
    ["10000000000000000000.23"],
  ])("%s round-trips", (s) => {
    const d = dec(s);
    const words = new Int32Array(10);
    d.writeWords(words, 0);
    const back = Decimal.readWords(words, 0);
    expect(back.equals(d)).toBe(true);
    expect(back.toStringValue()).toBe(d.toStringValue());
  });

  it.each([
    ["negative flag 2", [0x02000101, 1, 0, 0, 0, 0, 0, 0, 0, 0]],
    ["too many digits", [0x00005151, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
    ["word out of range", [0x00000009, 1000000000, 0, 0, 0, 0, 0, 0, 0, 0]],
    ["negative word", [0x00000009, -1, 0, 0, 0, 0, 0, 0, 0, 0]],
  ])("bad chunk data (%s) is a CodecError", (_what, w) => {
    expect(catchError(() => Decimal.readWords(Int32Array.from(w), 0)).name).toBe("CodecError");
  });

  it("rejects an offset without ten words", () => {
    expect(catchError(() => Decimal.readWords(new Int32Array(12), 3)).name).toBe("CodecError");
  });

  it("handles TiDB's all-zero MyDecimal (no digits at all)", () => {
    const z = Decimal.readWords(new Int32Array(10), 0);
    expect(z.isZero()).toBe(true);
    expect(z.toStringValue()).toBe("0");
    expect(z.toString()).toBe("0");
    expect(z.compare(Decimal.ZERO)).toBe(0);
    expect(z.hash()).toBe(Decimal.ZERO.hash());
    expect(z.add(dec("1.5")).value.toStringValue()).toBe("1.5");
    expect(dec("1.5").sub(z).value.toStringValue()).toBe("1.5");
    expect(z.mul(dec("1.5")).value.isZero()).toBe(true);
    expect(dec("1.5").div(z)).toBeNull();
    expect(z.div(dec("3"))!.value.isZero()).toBe(true);
    expect(z.round(2).value.toStringValue()).toBe("0.00");
    expect(z.precAndFrac()).toEqual([1, 0]);
    expect(z.toScaledNumber(2)).toBe(0);
    expect(z.toI64()).toEqual({ value: 0n, status: Ok });
    expect(Decimal.fromBin(z.toBin(5, 2).value, 0, 5, 2).value.toStringValue()).toBe("0.00");
  });
});

describe("status handling with an EvalContext", () => {
  // cases: TiKV codec/mysql/decimal.rs test_bytes_to_decimal
  it.each([
    ["123456.1", "123456.1"],
    ["-123456.1", "-123456.1"],
    ["123456", "123456"],
    ["-123456", "-123456"],
    ["1  ", "1"],
    ["abc", "0"],
    ["", "0"],
  ])("decimalFromBytes(%j) = %s without warnings", (s, exp) => {
    const ctx = new EvalContext();
    expect(decimalFromBytes(ctx, s).toStringValue()).toBe(exp);
    expect(decimalFromBytes(ctx, new TextEncoder().encode(s)).toStringValue()).toBe(exp);
    expect(ctx.warnings.count).toBe(0);
  });

  it("overflow is an error, or a warning with the largest decimal", () => {
    const big = "9".repeat(85);
    const e = catchError(() => decimalFromBytes(new EvalContext(), big));
    expect((e as EvalError).code).toBe(ERR_DATA_OUT_OF_RANGE);
    const ctx = new EvalContext({ flags: EvalFlag.OverflowAsWarning });
    expect(decimalFromBytes(ctx, big).equals(Decimal.maxOrMin(false, 81, 0))).toBe(true);
    expect(ctx.warnings.count).toBe(1);
    expect(ctx.warnings.list[0]!.code).toBe(ERR_DATA_OUT_OF_RANGE);
  });

  it.each([
    ["123.45.", "123.45"],
    ["-123.45.", "-123.45"],
    ["1.1.1.1.1", "1.1"],
    ["1asf", "1"],
    ["1  1", "1"],
  ])("truncated %j is an error, or a warning with %s", (s, exp) => {
    const e = catchError(() => decimalFromBytes(new EvalContext(), s));
    expect((e as EvalError).code).toBe(WARN_DATA_TRUNCATED);
    const ctx = new EvalContext({ flags: EvalFlag.TruncateAsWarning });
    expect(decimalFromBytes(ctx, s).toStringValue()).toBe(exp);
    expect(ctx.warnings.count).toBe(1);
  });

  // cases: TiKV codec/mysql/decimal.rs test_into_result_impl
  it("decimalResultInto routes through the context", () => {
    const t = { value: 2333, status: Truncated } as const;
    for (const err of [EvalError.truncated(), EvalError.truncatedWrongValue("", "")]) {
      expect((catchError(() => decimalResultInto(new EvalContext(), t, err)) as EvalError).code).toBe(
        err.code,
      );
    }
    expect(
      decimalResultInto(new EvalContext({ flags: EvalFlag.TruncateAsWarning }), t, EvalError.truncated()),
    ).toBe(2333);
    const o = { value: 666, status: Overflow } as const;
    const oe = EvalError.overflow("", "");
    expect((catchError(() => decimalResultInto(new EvalContext(), o, undefined, oe)) as EvalError).code).toBe(
      oe.code,
    );
    const ctx = new EvalContext({ flags: EvalFlag.OverflowAsWarning });
    expect(decimalResultInto(ctx, o)).toBe(666);
    expect(ctx.warnings.list[0]!.message).toBe("DECIMAL value is out of range in ''");
    expect(decimalResultInto(new EvalContext(), { value: 1, status: Ok })).toBe(1);
    expect(decimalResultInto(EvalContext.forTest(), t)).toBe(2333);
  });
});

describe("fromScaledNumber", () => {
  it.each([
    [12345, 2, "123.45"],
    [-12345, 2, "-123.45"],
    [5, 3, "0.005"],
    [0, 0, "0"],
    [0, 4, "0.0000"],
    [-0, 1, "0.0"],
    [Number.MAX_SAFE_INTEGER, 0, "9007199254740991"],
    [Number.MIN_SAFE_INTEGER, 30, "-0.000000000000009007199254740991"],
    [Number.MAX_SAFE_INTEGER, 9, "9007199.254740991"],
    [Number.MAX_SAFE_INTEGER, 8, "90071992.54740991"],
    [1000000000, 9, "1.000000000"],
  ])("fromScaledNumber(%d, %i) = %s", (n, frac, exp) => {
    const d = Decimal.fromScaledNumber(n, frac);
    expect(d.toStringValue()).toBe(exp);
    expect(d.isNegative()).toBe(exp.startsWith("-"));
    expect(d.equals(dec(exp))).toBe(true);
    expect(d.resultFracCnt).toBe(frac);
  });

  it.each([
    [1.5, 0],
    [2 ** 53, 0],
    [1, 31],
    [1, -1],
    [Number.NaN, 0],
  ])("rejects (%d, %d)", (n, frac) => {
    expect(catchError(() => Decimal.fromScaledNumber(n, frac)).name).toBe("EvalError");
  });

  it.each([
    ["123.45", 2, 12345],
    ["123.45", 4, 1234500],
    ["123.45", 1, null],
    ["123.40", 1, 1234],
    ["-0.001", 3, -1],
    ["9007199254740991", 0, 9007199254740991],
    ["9007199254740992", 0, null],
    ["-9007199254740991", 0, -9007199254740991],
    ["900719925474099.1", 1, 9007199254740991],
    ["900719925474099.2", 1, null],
    ["1", 16, null],
    ["0", 30, 0],
  ])("%s.toScaledNumber(%i) = %s", (s, frac, exp) => {
    expect(dec(s).toScaledNumber(frac)).toBe(exp);
  });
});
