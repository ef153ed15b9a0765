// The enums copr must match number for number. The counts and sample values below are facts read
// from pingcap/tipb proto/expression.proto and executor.proto and pingcap/kvproto proto/kvrpcpb.proto
// at the commits in src/upstream.ts, written here by hand (not derived from our .proto files).
import { describe, expect, it } from "vitest";
import { enumName, kvrpcpb, tipb } from "../src/index.js";

const names = (e: object) => Object.keys(e).filter((k) => Number.isNaN(Number(k)));

describe("tipb.ScalarFuncSig", () => {
  it("has every upstream value", () => {
    expect(names(tipb.ScalarFuncSig)).toHaveLength(640);
    expect(new Set(Object.values(tipb.ScalarFuncSig).filter((v) => typeof v === "number")).size).toBe(640);
  });

  it.each([
    ["Unspecified", 0],
    ["CastIntAsInt", 1],
    ["CastIntAsReal", 2],
    ["CastDecimalAsString", 22],
    ["LTInt", 100],
    ["EQString", 143],
    ["PlusInt", 203],
    ["AbsInt", 2101],
    ["LogicalAnd", 3101],
    ["UnaryNotInt", 3104],
    ["IntIsNull", 3116],
    ["InInt", 4001],
    ["IfNullInt", 4101],
    ["CoalesceInt", 4201],
    ["CaseWhenInt", 4208],
    ["IlikeSig", 4309],
    ["LikeSig", 4310],
    ["RegexpSig", 4311],
    ["RegexpLikeSig", 4313],
    ["Uncompress", 4509],
    ["JsonExtractSig", 5001],
    ["JsonMemberOfSig", 5029],
    ["VecAsTextSig", 5110],
    ["CastVectorFloat32AsString", 5183],
    ["DateFormatSig", 6001],
    ["FromUnixTime1Arg", 6088],
    ["Substring2ArgsUTF8", 7053],
    ["LeastCmpStringAsDate", 7074],
    ["GreatestDate", 7075],
    ["LeastDate", 7076],
  ] as const)("%s = %i", (name, value) => {
    expect(tipb.ScalarFuncSig[name]).toBe(value);
    expect(enumName(tipb.ScalarFuncSig, value)).toBe(name);
  });
});

describe("tipb.ExprType", () => {
  it("has every upstream value", () => {
    expect(names(tipb.ExprType)).toHaveLength(53);
  });
  it.each([
    ["Null", 0],
    ["Int64", 1],
    ["Uint64", 2],
    ["String", 5],
    ["Bytes", 6],
    ["MysqlDecimal", 102],
    ["MysqlTime", 107],
    ["ColumnRef", 201],
    ["Count", 3001],
    ["Sum", 3002],
    ["ScalarFunc", 10000],
  ] as const)("%s = %i", (name, value) => {
    expect(tipb.ExprType[name]).toBe(value);
  });
});

describe("other enums", () => {
  it("tipb.ExecType", () => {
    expect(names(tipb.ExecType)).toHaveLength(22);
    expect(tipb.ExecType.TypeTableScan).toBe(0);
    expect(tipb.ExecType.TypeSelection).toBe(2);
    expect(tipb.ExecType.TypeTopN).toBe(4);
    expect(tipb.ExecType.TypeProjection).toBe(11);
    expect(tipb.ExecType.TypePartitionTableScan).toBe(12);
    expect(tipb.ExecType.TypeExplainForConnection).toBe(21);
  });
  it("tipb.EncodeType", () => {
    expect([tipb.EncodeType.TypeDefault, tipb.EncodeType.TypeChunk, tipb.EncodeType.TypeCHBlock]).toEqual([
      0, 1, 2,
    ]);
  });
  it("kvrpcpb.Op and IsolationLevel", () => {
    expect(names(kvrpcpb.Op)).toEqual([
      "Put",
      "Del",
      "Lock",
      "Rollback",
      "Insert",
      "PessimisticLock",
      "CheckNotExists",
      "SharedLock",
      "SharedPessimisticLock",
    ]);
    expect(Object.values(kvrpcpb.Op).filter((v) => typeof v === "number")).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    expect([kvrpcpb.IsolationLevel.SI, kvrpcpb.IsolationLevel.RC, kvrpcpb.IsolationLevel.RCCheckTS]).toEqual([
      0, 1, 2,
    ]);
  });
});
