// Byte-level checks against encodings worked out by hand from the field numbers and the protobuf
// wire format (tag = field_number << 3 | wire_type; varints little-endian in 7-bit groups).
import { describe, expect, it } from "vitest";
import {
  coprocessor,
  decodeMessage,
  encodeMessage,
  enumName,
  i64,
  kvrpcpb,
  ProtoError,
  TIKV_RECURSION_LIMIT,
  tikvpb,
  tipb,
  toBigInt,
  u64,
  unknownVarint,
} from "../src/index.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ""), "hex"));

describe("coprocessor (proto3)", () => {
  it("KeyRange: two length-delimited fields", () => {
    // start = field 1 (tag 0x0a), end = field 2 (tag 0x12)
    const b = encodeMessage(coprocessor.KeyRange, {
      start: bytes("74800001"),
      end: bytes("74800002"),
    });
    expect(hex(b)).toBe("0a0474800001" + "120474800002");
  });

  it("Request: nested Context, ranges, a 64-bit start_ts written after field 4", () => {
    const b = encodeMessage(coprocessor.Request, {
      context: { regionId: u64(1) },
      tp: i64(103),
      data: bytes("0801"),
      startTs: u64((1n << 62n) + 5n),
      ranges: [{ start: bytes("7480"), end: bytes("7481") }],
    });
    expect(hex(b)).toBe(
      [
        "0a02" + "0801", // context (1): region_id (1) = 1
        "1067", // tp (2) = 103
        "1a02" + "0801", // data (3)
        "2208" + "0a027480" + "12027481", // ranges (4): one KeyRange
        "38" + "858080808080808040", // start_ts (7) = 2^62 + 5: groups 5, 0 x7, then bit 62 -> 0x40
      ].join(""),
    );
    const back = decodeMessage(coprocessor.Request, b);
    expect(toBigInt(back.startTs)).toBe((1n << 62n) + 5n);
    expect(toBigInt(back.context?.regionId as never)).toBe(1n);
    expect(toBigInt(back.tp)).toBe(103n);
  });

  it("proto3 scalars equal to their default are not written", () => {
    expect(
      hex(encodeMessage(coprocessor.Request, { tp: i64(0), startTs: u64(0), data: new Uint8Array() })),
    ).toBe("");
  });

  it("uint64 max round-trips exactly", () => {
    const b = encodeMessage(coprocessor.Request, { startTs: u64((1n << 64n) - 1n) });
    expect(hex(b)).toBe("38ffffffffffffffffff01");
    const back = decodeMessage(coprocessor.Request, b);
    expect(back.startTs.unsigned).toBe(true);
    expect(toBigInt(back.startTs)).toBe((1n << 64n) - 1n);
  });

  it("repeated scalars are packed by default, and the unpacked form is accepted", () => {
    // BatchCommandsRequest.request_ids = field 2: one length-delimited run of varints
    // 1 -> 01, 300 -> ac 02, 2^32 -> 80 80 80 80 10
    const b = encodeMessage(tikvpb.BatchCommandsRequest, { requestIds: [u64(1), u64(300), u64(1n << 32n)] });
    expect(hex(b)).toBe("1208" + "01" + "ac02" + "8080808010");
    const unpacked = decodeMessage(tikvpb.BatchCommandsRequest, bytes("1001 10ac02 108080808010"));
    expect(unpacked.requestIds.map((v) => toBigInt(v))).toEqual([1n, 300n, 1n << 32n]);
  });

  it("a oneof member is written under its own field number", () => {
    // BatchCommandsRequest.Request.Coprocessor = field 22 (tag 22<<3|2 = 0xb2 0x01)
    const b = encodeMessage(tikvpb.BatchCommandsRequest.Request, { Coprocessor: { tp: i64(103) } });
    expect(hex(b)).toBe("b2010210" + "67");
    const back = decodeMessage(tikvpb.BatchCommandsRequest.Request, b);
    expect(back.cmd).toBe("Coprocessor");
  });
});

describe("tipb (proto2)", () => {
  it("repeated scalars are not packed, and the packed form is accepted", () => {
    // DAGRequest.output_offsets = field 5, uint32: one tag 0x28 per element
    const b = encodeMessage(tipb.DAGRequest, { outputOffsets: [0, 1, 200] });
    expect(hex(b)).toBe("2800" + "2801" + "28c801");
    const packed = decodeMessage(tipb.DAGRequest, bytes("2a04 00 01 c801"));
    expect(packed.outputOffsets).toEqual([0, 1, 200]);
  });

  it("an optional field set to its default is still written (explicit presence)", () => {
    // DAGRequest.flags = field 4
    expect(hex(encodeMessage(tipb.DAGRequest, { flags: u64(0) }))).toBe("2000");
    expect(hex(encodeMessage(tipb.DAGRequest, {}))).toBe("");
    const back = decodeMessage(tipb.DAGRequest, bytes("2000"));
    expect(Object.hasOwn(back, "flags")).toBe(true);
    expect(Object.hasOwn(decodeMessage(tipb.DAGRequest, bytes("")), "flags")).toBe(false);
  });

  it("negative int64 takes ten bytes", () => {
    // DAGRequest.time_zone_offset = field 3; -28800 = 0xffffffffffff8f80
    const b = encodeMessage(tipb.DAGRequest, { timeZoneOffset: i64(-28800) });
    expect(hex(b)).toBe("18" + "809ffeffffffffffff01");
    expect(toBigInt(decodeMessage(tipb.DAGRequest, b).timeZoneOffset)).toBe(-28800n);
  });

  it("SelectResponse with a chunk, output counts and the encode type", () => {
    const b = encodeMessage(tipb.SelectResponse, {
      chunks: [{ rowsData: bytes("010203") }],
      outputCounts: [i64(5)],
      encodeType: tipb.EncodeType.TypeChunk,
    });
    // chunks (3) -> Chunk.rows_data (3); output_counts (5) unpacked; encode_type (9) = 1
    expect(hex(b)).toBe("1a05" + "1a03010203" + "2805" + "4801");
  });

  it("enum values the schema does not list are unknown fields (closed proto2 enums)", () => {
    // Expr.tp = field 1 (ScalarFunc = 10000 -> 90 4e), Expr.sig = field 4 (9999 -> 8f 4e)
    const b = bytes("08904e" + "208f4e");
    const skipped = decodeMessage(tipb.Expr, b);
    expect(skipped.tp).toBe(tipb.ExprType.ScalarFunc);
    expect(Object.hasOwn(skipped, "sig")).toBe(false);
    const e = decodeMessage(tipb.Expr, b, { keepUnknown: true });
    expect(Object.hasOwn(e, "sig")).toBe(false);
    const sig = unknownVarint(e, 4);
    expect(sig).toBe(9999);
    expect(enumName(tipb.ScalarFuncSig, sig!)).toBe("unknown(9999)");
    expect(unknownVarint(e, 1)).toBeUndefined();
    expect(hex(encodeMessage(tipb.Expr, e))).toBe(hex(b));
    // A listed one: PlusInt = 203 -> cb 01
    expect(hex(encodeMessage(tipb.Expr, { sig: tipb.ScalarFuncSig.PlusInt }))).toBe("20cb01");
    expect(enumName(tipb.ScalarFuncSig, 203)).toBe("PlusInt");
  });

  it("a missing required field is an error naming the message", () => {
    // IntermediateOutputChannel.executor_idx is `required`
    const err = catchProto(() => decodeMessage(tipb.IntermediateOutputChannel, bytes("1001")));
    expect(err.messageType).toBe("tipb.IntermediateOutputChannel");
    expect(err.message).toMatch(/executorIdx/);
    expect(decodeMessage(tipb.IntermediateOutputChannel, bytes("0803")).executorIdx).toBe(3);
  });
});

describe("unknown fields", () => {
  // KeyRange with field 15 (varint 1: tag 0x78) and field 16 (bytes aa bb: tag 16<<3|2 = 0x82 0x01)
  const known = "0a0174" + "120175";
  const unknown = "7801" + "8201" + "02aabb";

  it("are skipped by default", () => {
    const r = decodeMessage(coprocessor.KeyRange, bytes(known + unknown));
    expect(hex(r.start)).toBe("74");
    expect(hex(r.end)).toBe("75");
    expect(hex(encodeMessage(coprocessor.KeyRange, r))).toBe(known);
  });

  it("are preserved and written back when asked", () => {
    const r = decodeMessage(coprocessor.KeyRange, bytes(known + unknown), { keepUnknown: true });
    expect(hex(encodeMessage(coprocessor.KeyRange, r))).toBe(known + unknown);
  });

  it("in a proto2 message too", () => {
    const input = "2000" + "f80701"; // flags = 0, then field 127 = 1
    const r = decodeMessage(tipb.DAGRequest, bytes(input), { keepUnknown: true });
    expect(hex(encodeMessage(tipb.DAGRequest, r))).toBe(input);
  });
});

describe("malformed input", () => {
  const good = encodeMessage(coprocessor.Request, {
    context: { regionId: u64(7) },
    tp: i64(103),
    data: bytes("0801"),
    ranges: [{ start: bytes("7480"), end: bytes("7481") }],
  });

  it("every truncation of a valid request is a ProtoError naming the message, or a valid prefix", () => {
    for (let n = 0; n < good.length; n++) {
      try {
        decodeMessage(coprocessor.Request, good.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(ProtoError);
        expect((e as ProtoError).messageType).toBe("coprocessor.Request");
        expect((e as ProtoError).code).toBe(1105);
      }
    }
    // Cutting inside the nested Context (length 2, one byte given) must fail.
    expect(() => decodeMessage(coprocessor.Request, good.subarray(0, 3))).toThrow(ProtoError);
  });

  it("a length running past the end is rejected", () => {
    expect(() => decodeMessage(coprocessor.KeyRange, bytes("0a05 7480"))).toThrow(/coprocessor\.KeyRange/);
  });

  it("an invalid wire type is rejected", () => {
    // wire type 7 does not exist
    expect(() => decodeMessage(kvrpcpb.Context, bytes("0f00"))).toThrow(ProtoError);
  });

  it("random bytes never escape as anything but a ProtoError", () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      const b = new Uint8Array(rnd() % 40);
      for (let j = 0; j < b.length; j++) b[j] = rnd() & 0xff;
      for (const type of [
        coprocessor.Request,
        tipb.DAGRequest,
        tipb.SelectResponse,
        tikvpb.BatchCommandsRequest,
      ]) {
        try {
          decodeMessage(type as typeof coprocessor.Request, b);
        } catch (e) {
          expect(e).toBeInstanceOf(ProtoError);
        }
      }
    }
  });
});

describe("nesting depth", () => {
  const nested = (depth: number) => {
    let e: tipb.Expr.$Properties = { tp: tipb.ExprType.Int64, val: bytes("8000000000000001") };
    for (let i = 0; i < depth; i++)
      e = { tp: tipb.ExprType.ScalarFunc, sig: tipb.ScalarFuncSig.PlusInt, children: [e] };
    return encodeMessage(tipb.Expr, e, { recursionLimit: 2000 });
  };

  it("protobuf's default limit of 100 applies unless raised", () => {
    expect(() => decodeMessage(tipb.Expr, nested(150))).toThrow(/depth/);
    expect(
      decodeMessage(tipb.Expr, nested(150), { recursionLimit: TIKV_RECURSION_LIMIT }).children,
    ).toHaveLength(1);
    expect(() => decodeMessage(tipb.Expr, nested(1100), { recursionLimit: TIKV_RECURSION_LIMIT })).toThrow(
      ProtoError,
    );
    expect(() =>
      encodeMessage(tipb.Expr, decodeMessage(tipb.Expr, nested(150), { recursionLimit: 1000 })),
    ).toThrow(/depth/);
    // The limits are restored afterwards.
    expect(() => decodeMessage(tipb.Expr, nested(150))).toThrow(ProtoError);
  });
});

function catchProto(f: () => unknown): ProtoError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ProtoError);
    return e as ProtoError;
  }
  throw new Error("expected a ProtoError");
}
