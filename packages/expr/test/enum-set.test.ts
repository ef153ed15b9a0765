// ENUM and SET arguments where functions declare numbers or strings: read as their number (member
// index, bitmask) or text (member name, names joined by commas), as MySQL does; TiKV accepts ENUM
// in Int and Bytes places (function.rs validate_expr_return_type), copr's SET goes wherever ENUM goes.
import { ChunkedVecEnum, ChunkedVecSet, FieldTypeTp, fieldType, MySqlSet } from "@copr/datatype";
import { tipb } from "@copr/proto";
import { describe, expect, it } from "vitest";
import { buildRpn, columnRef, constBytes, constInt, LONGLONG, scalarFunc } from "../src/index.js";
import { evalRows } from "./helpers.js";

const S = tipb.ScalarFuncSig;
const ELEMS = ["small", "medium", "large"];
const ENUM = fieldType(FieldTypeTp.Enum, { elems: ELEMS });
const SET = fieldType(FieldTypeTp.Set, { elems: ["a", "b", "c"] });
const VARCHAR = fieldType(FieldTypeTp.VarString, { collate: 46, charset: "utf8mb4" });

const enums = ChunkedVecEnum.fromValues([1, 3, null, 2], ELEMS);
const sets = ChunkedVecSet.fromValues(
  [
    MySqlSet.fromValue(["a", "b", "c"], 0b011),
    MySqlSet.fromValue(["a", "b", "c"], 0b100),
    null,
    MySqlSet.fromValue(["a", "b", "c"], 0),
  ],
  ["a", "b", "c"],
);

describe("ENUM and SET in numeric and string places", () => {
  it("an ENUM compares by index in an Int comparison and by name in a string one", () => {
    expect(evalRows(scalarFunc(S.GEInt, LONGLONG, columnRef(0, ENUM), constInt(2)), [ENUM], [enums])).toEqual(
      [0n, 1n, null, 1n],
    );
    expect(
      evalRows(
        scalarFunc(
          S.EQString,
          fieldType(FieldTypeTp.LongLong, { collate: 46 }),
          columnRef(0, ENUM),
          constBytes("large", VARCHAR),
        ),
        [ENUM],
        [enums],
      ),
    ).toEqual([0n, 1n, null, 0n]);
  });

  it("a SET reads as its bitmask and as its names", () => {
    expect(evalRows(scalarFunc(S.EQInt, LONGLONG, columnRef(0, SET), constInt(3)), [SET], [sets])).toEqual([
      1n,
      0n,
      null,
      0n,
    ]);
    expect(
      evalRows(
        scalarFunc(
          S.EQString,
          fieldType(FieldTypeTp.LongLong, { collate: 46 }),
          columnRef(0, SET),
          constBytes("a,b", VARCHAR),
        ),
        [SET],
        [sets],
      ),
    ).toEqual([1n, 0n, null, 0n]);
  });

  it("IS NULL and LIKE take them too", () => {
    expect(evalRows(scalarFunc(S.IntIsNull, LONGLONG, columnRef(0, ENUM)), [ENUM], [enums])).toEqual([
      0n,
      0n,
      1n,
      0n,
    ]);
    const like = scalarFunc(
      S.LikeSig,
      fieldType(FieldTypeTp.LongLong, { collate: 46 }),
      columnRef(0, ENUM),
      constBytes("%l%", VARCHAR),
      constInt(92),
    );
    expect(evalRows(like, [ENUM], [enums])).toEqual([1n, 1n, null, 0n]);
  });

  it("other eval types are still refused", () => {
    const e = scalarFunc(S.EQInt, LONGLONG, columnRef(0, VARCHAR), constInt(1));
    expect(() => buildRpn(e, { schemaLength: 1 })).toThrow(/expect argument 0 to be Int, got Bytes/);
  });
});

describe("ENUM and SET in IN lists", () => {
  it("IN over an ENUM column compares the index against Int items and the name against strings", () => {
    const inInt = scalarFunc(S.InInt, LONGLONG, columnRef(0, ENUM), constInt(1), constInt(2));
    expect(evalRows(inInt, [ENUM], [enums])).toEqual([1n, 0n, null, 1n]);
    const inStr = scalarFunc(
      S.InString,
      fieldType(FieldTypeTp.LongLong, { collate: 46 }),
      columnRef(0, ENUM),
      constBytes("large", VARCHAR),
      constBytes("tiny", VARCHAR),
    );
    expect(evalRows(inStr, [ENUM], [enums])).toEqual([0n, 1n, null, 0n]);
  });

  it("IN over a SET column compares the bitmask and the names", () => {
    const inInt = scalarFunc(S.InInt, LONGLONG, columnRef(0, SET), constInt(3), constInt(0));
    expect(evalRows(inInt, [SET], [sets])).toEqual([1n, 0n, null, 1n]);
    const inStr = scalarFunc(
      S.InString,
      fieldType(FieldTypeTp.LongLong, { collate: 46 }),
      columnRef(0, SET),
      constBytes("c", VARCHAR),
    );
    expect(evalRows(inStr, [SET], [sets])).toEqual([0n, 1n, null, 0n]);
  });
});

describe("casts of ENUM and SET (TiKV cast_enum_as_*, by the argument's eval type)", () => {
  const BIGINT_UNSIGNED = fieldType(FieldTypeTp.LongLong, { flag: 32 });
  const CHAR = fieldType(FieldTypeTp.VarString, { collate: 46, charset: "utf8mb4", flen: -1 });

  it("to a number: the member index or the bitmask, whatever the signature says", () => {
    for (const sig of [S.CastStringAsInt, S.CastIntAsInt]) {
      expect(evalRows(scalarFunc(sig, LONGLONG, columnRef(0, ENUM)), [ENUM], [enums])).toEqual([
        1n,
        3n,
        null,
        2n,
      ]);
      expect(evalRows(scalarFunc(sig, BIGINT_UNSIGNED, columnRef(0, SET)), [SET], [sets])).toEqual([
        3n,
        4n,
        null,
        0n,
      ]);
    }
    expect(
      evalRows(
        scalarFunc(S.CastStringAsReal, fieldType(FieldTypeTp.Double), columnRef(0, ENUM)),
        [ENUM],
        [enums],
      ),
    ).toEqual([1, 3, null, 2]);
  });

  it("to a string: the member name or the names", () => {
    const text = (v: unknown) => (v === null ? null : new TextDecoder().decode(v as Uint8Array));
    for (const sig of [S.CastStringAsString, S.CastIntAsString]) {
      expect(evalRows(scalarFunc(sig, CHAR, columnRef(0, ENUM)), [ENUM], [enums]).map(text)).toEqual([
        "small",
        "large",
        null,
        "medium",
      ]);
      expect(evalRows(scalarFunc(sig, CHAR, columnRef(0, SET)), [SET], [sets]).map(text)).toEqual([
        "a,b",
        "c",
        null,
        "",
      ]);
    }
  });
});
