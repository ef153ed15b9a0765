import { describe, expect, it } from "vitest";
import {
  Collation,
  collationFromId,
  EvalType,
  evalTypeOfTp,
  FieldTypeFlag,
  FieldTypeTp,
  fieldType,
  needRestoredData,
} from "../src/index.js";
import { catchError } from "../src/testing/index.js";

describe("evalTypeOfTp", () => {
  // cases: TiKV def/eval_type.rs test_fieldtype_to_evaltype; SET differs on purpose (copr maps it).
  it.each([
    [FieldTypeTp.Unspecified, null],
    [FieldTypeTp.Tiny, EvalType.Int],
    [FieldTypeTp.Short, EvalType.Int],
    [FieldTypeTp.Long, EvalType.Int],
    [FieldTypeTp.Float, EvalType.Real],
    [FieldTypeTp.Double, EvalType.Real],
    [FieldTypeTp.Null, EvalType.Bytes],
    [FieldTypeTp.Timestamp, EvalType.DateTime],
    [FieldTypeTp.LongLong, EvalType.Int],
    [FieldTypeTp.Int24, EvalType.Int],
    [FieldTypeTp.Date, EvalType.DateTime],
    [FieldTypeTp.Duration, EvalType.Duration],
    [FieldTypeTp.DateTime, EvalType.DateTime],
    [FieldTypeTp.Year, EvalType.Int],
    [FieldTypeTp.NewDate, null],
    [FieldTypeTp.VarChar, EvalType.Bytes],
    [FieldTypeTp.Bit, EvalType.Int],
    [FieldTypeTp.Json, EvalType.Json],
    [FieldTypeTp.NewDecimal, EvalType.Decimal],
    [FieldTypeTp.Enum, EvalType.Enum],
    [FieldTypeTp.Set, EvalType.Set],
    [FieldTypeTp.TinyBlob, EvalType.Bytes],
    [FieldTypeTp.MediumBlob, EvalType.Bytes],
    [FieldTypeTp.LongBlob, EvalType.Bytes],
    [FieldTypeTp.Blob, EvalType.Bytes],
    [FieldTypeTp.VarString, EvalType.Bytes],
    [FieldTypeTp.String, EvalType.Bytes],
    [FieldTypeTp.Geometry, null],
    [FieldTypeTp.TiDBVectorFloat32, EvalType.VectorFloat32],
  ])("tp %i -> %s", (tp, want) => {
    if (want === null) {
      expect(catchError(() => evalTypeOfTp(tp))).toMatchObject({ name: "UnsupportedError" });
    } else {
      expect(evalTypeOfTp(tp)).toBe(want);
    }
  });

  it("names an unknown code in the error", () => {
    expect(catchError(() => evalTypeOfTp(200)).message).toBe("Unsupported type: Unknown(200)");
  });
});

describe("collationFromId", () => {
  // cases: TiKV def/field_type.rs Collation::from_i32 and its test_collation.
  it.each([
    [-33, Collation.Utf8Mb4GeneralCi],
    [-45, Collation.Utf8Mb4GeneralCi],
    [-46, Collation.Utf8Mb4Bin],
    [-83, Collation.Utf8Mb4Bin],
    [-65, Collation.Utf8Mb4Bin],
    [-47, Collation.Latin1Bin],
    [-63, Collation.Binary],
    [63, Collation.Binary],
    [47, Collation.Binary],
    [-224, Collation.Utf8Mb4UnicodeCi],
    [-192, Collation.Utf8Mb4UnicodeCi],
    [-87, Collation.GbkBin],
    [-28, Collation.GbkChineseCi],
    [-248, Collation.Gb18030ChineseCi],
    [-249, Collation.Gb18030Bin],
    [-255, Collation.Utf8Mb40900AiCi],
    [-309, Collation.Utf8Mb40900Bin],
    [0, Collation.Utf8Mb4BinNoPadding],
    [46, Collation.Utf8Mb4BinNoPadding],
    [224, Collation.Utf8Mb4BinNoPadding],
  ])("id %i", (id, want) => {
    expect(collationFromId(id)).toBe(want);
  });

  it.each([-1, -44, -9999])("rejects %i", (id) => {
    expect(catchError(() => collationFromId(id))).toMatchObject({
      name: "UnsupportedError",
      message: `Unsupported collation code: ${id}`,
    });
  });
});

describe("needRestoredData", () => {
  // TiKV field_type.rs need_restored_data: non-binary strings under non-bin collations, plus
  // VARCHAR under bin collations (trailing spaces), never utf8mb4_0900_bin.
  it.each([
    [FieldTypeTp.VarChar, Collation.Utf8Mb4GeneralCi, true],
    [FieldTypeTp.String, Collation.Utf8Mb4GeneralCi, true],
    [FieldTypeTp.VarChar, Collation.Utf8Mb4Bin, true],
    [FieldTypeTp.String, Collation.Utf8Mb4Bin, false],
    [FieldTypeTp.VarChar, Collation.Binary, false],
    [FieldTypeTp.VarChar, Collation.Utf8Mb40900Bin, false],
    [FieldTypeTp.LongLong, Collation.Utf8Mb4GeneralCi, false],
    [FieldTypeTp.Blob, Collation.GbkChineseCi, true],
  ])("tp %i collate %i -> %s", (tp, collate, want) => {
    expect(needRestoredData(fieldType(tp, { collate }))).toBe(want);
  });

  it("keeps flags", () => {
    expect(fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.Unsigned }).flag).toBe(32);
  });
});
