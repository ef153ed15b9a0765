// SelectResponse TypeDefault rows: datums in value form, laid out as TiKV's VectorValue::encode
// writes them (datum_codec.rs write_evaluable_datum_*). Bytes worked out by hand.
import {
  ChunkedVecBytes,
  ChunkedVecDateTime,
  ChunkedVecDecimal,
  ChunkedVecDuration,
  ChunkedVecEnum,
  ChunkedVecInt,
  ChunkedVecJson,
  ChunkedVecReal,
  ChunkedVecSet,
  CodecError,
  Decimal,
  Duration,
  EvalContext,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  MySqlSet,
  Time,
} from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeDefaultRows, encodeDefaultRows } from "../src/default-rows.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const ctx = EvalContext.forTest();

describe("default rows", () => {
  it("encodes each type with TiKV's flags", () => {
    const cols = [
      ChunkedVecInt.fromValues([1, null]),
      ChunkedVecInt.fromValues([1n, 2n ** 64n - 1n], { unsigned: true }),
      ChunkedVecReal.fromValues([1, -0.5]),
      ChunkedVecBytes.fromValues(["ab", ""]),
      ChunkedVecDuration.fromValues([Duration.fromNanos(1e9, 0), null], 0),
      ChunkedVecEnum.fromValues([2, null], ["a", "b"]),
    ];
    const got = hex(encodeDefaultRows(cols, null, ctx));
    const row0 = [
      "03" + "8000000000000001", // INT_FLAG + memcomparable 1
      "04" + "0000000000000001", // UINT_FLAG + big-endian 1
      "05" + "bff0000000000000", // FLOAT_FLAG + 1.0 with the sign bit set
      "02" + "04" + "6162", // COMPACT_BYTES_FLAG + zigzag length 2 + "ab"
      "07" + "800000003b9aca00", // DURATION_FLAG + 1e9 ns memcomparable
      "04" + "0000000000000002", // enum index 2 as UINT
    ];
    const row1 = [
      "00", // NULL
      "04" + "ffffffffffffffff",
      "05" + "401fffffffffffff", // -0.5 = bfe0..., every bit inverted
      "02" + "00",
      "00",
      "00",
    ];
    expect(got).toBe([...row0, ...row1].join(""));
  });

  it("follows the logical rows", () => {
    const c = ChunkedVecInt.fromValues([10, 20, 30]);
    expect(hex(encodeDefaultRows([c], new Uint32Array([2, 0]), ctx))).toBe(
      "03800000000000001e" + "03800000000000000a",
    );
  });

  it("writes DATETIME as packed u64 and decimals with their own precision", () => {
    const t = Time.parseDatetime(ctx, "2012-12-31 11:30:45", 0, true);
    const cols = [
      ChunkedVecDateTime.fromValues([t]),
      ChunkedVecDecimal.fromValues([Decimal.fromString("-12.5")]),
    ];
    const b = encodeDefaultRows(cols, null, ctx);
    // packed u64: ymd = (2012 * 13 + 12) << 5 | 31, hms = 11 << 12 | 30 << 6 | 45,
    // ((ymd << 17) | hms) << 24 = 0x198e3eb7ad000000; then DECIMAL_FLAG, precision 3, fraction 1.
    expect(hex(b.subarray(0, 9))).toBe("04" + "198e3eb7ad000000");
    expect(hex(b.subarray(9, 12))).toBe("060301");
    const back = decodeDefaultRows(
      b,
      [fieldType(FieldTypeTp.DateTime), fieldType(FieldTypeTp.NewDecimal, { decimal: 1 })],
      ctx,
    );
    expect((back[0] as ChunkedVecDateTime).get(0)!.toString()).toBe("2012-12-31 11:30:45");
    expect((back[1] as ChunkedVecDecimal).get(0)!.toString()).toBe("-12.5");
  });

  it("round-trips random rows of every type through decodeDefaultRows", () => {
    const fts = [
      fieldType(FieldTypeTp.LongLong),
      fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned }),
      fieldType(FieldTypeTp.Double),
      fieldType(FieldTypeTp.NewDecimal, { flen: 20, decimal: 4 }),
      fieldType(FieldTypeTp.VarString),
      fieldType(FieldTypeTp.Duration, { decimal: 3 }),
      fieldType(FieldTypeTp.Enum, { elems: ["x", "y", "z"] }),
      fieldType(FieldTypeTp.Set, { elems: ["x", "y", "z"] }),
      fieldType(FieldTypeTp.Json),
    ];
    const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
    const row = fc.tuple(
      opt(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
      opt(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
      opt(fc.double({ noNaN: true })),
      opt(fc.integer({ min: -1e9, max: 1e9 }).map((v) => Decimal.fromString((v / 1e4).toFixed(4)))),
      opt(fc.string()),
      opt(
        fc.integer({ min: -838 * 3600, max: 838 * 3600 }).map((s) => Duration.fromNanos(s * 1e9 + 123e6, 3)),
      ),
      opt(fc.integer({ min: 1, max: 3 })),
      opt(fc.integer({ min: 0, max: 7 })),
      opt(fc.constantFrom(new Uint8Array([0x04, 0x01]), new Uint8Array([0x09, 1, 0, 0, 0, 0, 0, 0, 0]))),
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        const col = <T>(k: number) => rows.map((r) => r[k] as T | null);
        const cols = [
          ChunkedVecInt.fromValues(col<bigint>(0)),
          ChunkedVecInt.fromValues(col<bigint>(1), { unsigned: true }),
          ChunkedVecReal.fromValues(col<number>(2)),
          ChunkedVecDecimal.fromValues(col<Decimal>(3)),
          ChunkedVecBytes.fromValues(col<string>(4)),
          ChunkedVecDuration.fromValues(col<Duration>(5), 3),
          ChunkedVecEnum.fromValues(col<number>(6), ["x", "y", "z"]),
          ChunkedVecSet.fromValues(
            col<number>(7).map((m) => (m === null ? null : MySqlSet.fromValue(["x", "y", "z"], m))),
            ["x", "y", "z"],
          ),
          ChunkedVecJson.fromValues(col<Uint8Array>(8)),
        ];
        const back = decodeDefaultRows(encodeDefaultRows(cols, null, ctx), fts, ctx);
        expect(back.map((c) => c.length)).toEqual(cols.map(() => rows.length));
        for (let i = 0; i < rows.length; i++) {
          expect(back[0]!.isNull(i) ? null : (back[0] as ChunkedVecInt).get(i)).toBe(rows[i]![0]);
          expect(back[1]!.isNull(i) ? null : (back[1] as ChunkedVecInt).get(i)).toBe(rows[i]![1]);
          expect((back[2] as ChunkedVecReal).get(i)).toBe(rows[i]![2]);
          expect((back[3] as ChunkedVecDecimal).get(i)?.toString() ?? null).toBe(
            rows[i]![3]?.toString() ?? null,
          );
          const s = (back[4] as ChunkedVecBytes).get(i);
          expect(s === null ? null : Buffer.from(s).toString()).toBe(rows[i]![4]);
          expect((back[5] as ChunkedVecDuration).get(i)?.nanos ?? null).toBe(rows[i]![5]?.nanos ?? null);
          expect((back[6] as ChunkedVecEnum).get(i)?.value ?? null).toBe(rows[i]![6]);
          expect((back[7] as ChunkedVecSet).get(i)?.lo ?? null).toBe(rows[i]![7]);
          const j = (back[8] as ChunkedVecJson).get(i);
          expect(j === null ? null : hex(j)).toBe(rows[i]![8] === null ? null : hex(rows[i]![8]!));
        }
      }),
    );
  });

  it("rejects a partial row and corrupt datums", () => {
    const fts = [fieldType(FieldTypeTp.LongLong), fieldType(FieldTypeTp.LongLong)];
    const one = encodeDefaultRows([ChunkedVecInt.fromValues([1])], null, ctx);
    expect(() => decodeDefaultRows(one, fts, ctx)).toThrow(/row ends before its last column/);
    expect(() => decodeDefaultRows(one.subarray(0, 5), fts.slice(0, 1), ctx)).toThrow(CodecError);
    expect(() => decodeDefaultRows(new Uint8Array([0xee]), fts.slice(0, 1), ctx)).toThrow(CodecError);
  });
});
