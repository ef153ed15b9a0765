// The runner loop: batch growth, output offsets, chunk and datum encodings, paging, errors into
// SelectResponse.error (TiKV runner.rs handle_request, coprocessor/dag/mod.rs handle_qe_response).
import { decodeChunk, decodeDefaultRows } from "@copr/codec";
import {
  ChunkedVecBytes,
  ChunkedVecInt,
  EvalContext,
  EvalError,
  FieldTypeTp,
  fieldType,
  StorageError,
} from "@copr/datatype";
import { i64, tipb, u64 } from "@copr/proto";
import { describe, expect, it } from "vitest";
import type { BatchExecuteResult, BatchExecutor } from "../src/index.js";
import {
  BATCH_INITIAL_SIZE,
  BATCH_MAX_SIZE,
  evalContextFromDag,
  growBatchSize,
  runDag,
} from "../src/runner.js";
import { type MockBatch, MockExecutor } from "./mock-executor.js";

const INT = fieldType(FieldTypeTp.LongLong);
const STR = fieldType(FieldTypeTp.VarString);

function batches(n: number, size: number): MockBatch[] {
  return Array.from({ length: n }, (_, b) => ({
    columns: [
      ChunkedVecInt.fromValues(Array.from({ length: size }, (_, i) => b * size + i)),
      ChunkedVecBytes.fromValues(Array.from({ length: size }, (_, i) => `r${b * size + i}`)),
    ],
    logicalRows: null,
  }));
}

describe("runDag", () => {
  it("grows the batch size 32, 64, … up to 1024, as TiKV", () => {
    expect(BATCH_INITIAL_SIZE).toBe(32);
    const sizes = [BATCH_INITIAL_SIZE];
    for (let i = 0; i < 7; i++) sizes.push(growBatchSize(sizes[sizes.length - 1]!));
    expect(sizes).toEqual([32, 64, 128, 256, 512, 1024, 1024, 1024]);
    const mock = new MockExecutor([INT, STR], batches(8, 3));
    runDag(mock, new EvalContext(), { outputOffsets: [0], encodeType: tipb.EncodeType.TypeChunk });
    expect(mock.calls).toEqual(sizes);
    expect(BATCH_MAX_SIZE).toBe(1024);
  });

  it("encodes one chunk per non-empty batch with the output offsets, in TiKV's chunk format", () => {
    const input = batches(3, 4);
    input[1] = { columns: input[1]!.columns, logicalRows: Uint32Array.of(3, 1) };
    const mock = new MockExecutor([INT, STR], input);
    const { response, range } = runDag(mock, new EvalContext(), {
      outputOffsets: [1, 0],
      encodeType: tipb.EncodeType.TypeChunk,
    });
    expect(range).toBeNull();
    expect(response.encodeType).toBe(tipb.EncodeType.TypeChunk);
    const rows = response.chunks!.flatMap((c) => {
      const [s, n] = decodeChunk(c.rowsData!, [STR, INT]);
      return Array.from({ length: s!.length }, (_, i) => [
        Buffer.from((s as ChunkedVecBytes).get(i)!).toString(),
        (n as ChunkedVecInt).get(i),
      ]);
    });
    expect(rows).toEqual([
      ["r0", 0n],
      ["r1", 1n],
      ["r2", 2n],
      ["r3", 3n],
      ["r7", 7n],
      ["r5", 5n],
      ["r8", 8n],
      ["r9", 9n],
      ["r10", 10n],
      ["r11", 11n],
    ]);
  });

  it("TypeDefault writes datum rows", () => {
    const mock = new MockExecutor([INT, STR], batches(1, 2));
    const { response } = runDag(mock, new EvalContext(), {
      outputOffsets: [0, 1],
      encodeType: tipb.EncodeType.TypeDefault,
    });
    expect(response.encodeType).toBe(tipb.EncodeType.TypeDefault);
    const [n, s] = decodeDefaultRows(response.chunks![0]!.rowsData!, [INT, STR]);
    expect([(n as ChunkedVecInt).get(1), Buffer.from((s as ChunkedVecBytes).get(1)!).toString()]).toEqual([
      1n,
      "r1",
    ]);
  });

  it("paging stops once enough rows are out and returns the scanned range", () => {
    const mock = new MockExecutor([INT, STR], batches(5, 40));
    const { response, range } = runDag(mock, new EvalContext(), {
      outputOffsets: [0],
      encodeType: tipb.EncodeType.TypeChunk,
      pagingSize: 60,
    });
    // 40 rows, then 40 more reach 60: two batches
    expect(mock.calls).toEqual([32, 64]);
    expect(response.chunks).toHaveLength(2);
    expect(range).not.toBeNull();
  });

  it("an evaluation error becomes SelectResponse.error; a storage error is thrown", () => {
    const failing = (err: Error): BatchExecutor => ({
      schema: () => [INT],
      nextBatch: (): BatchExecuteResult => {
        throw err;
      },
      collectExecStats: () => {},
      takeScannedRange: () => ({ lower: new Uint8Array(), upper: new Uint8Array() }),
      canBeCached: () => true,
    });
    const r = runDag(failing(EvalError.overflow("BIGINT", "(1 + 2)")), new EvalContext(), {
      outputOffsets: [0],
      encodeType: tipb.EncodeType.TypeChunk,
    });
    expect(r.response.error).toEqual({ code: 1690, msg: "BIGINT value is out of range in '(1 + 2)'" });
    expect(() =>
      runDag(failing(new StorageError("disk on fire")), new EvalContext(), {
        outputOffsets: [0],
        encodeType: 1,
      }),
    ).toThrow(StorageError);
  });

  it("rejects output offsets outside the schema", () => {
    const mock = new MockExecutor(
      [INT],
      batches(1, 1).map((b) => ({ ...b, columns: [b.columns[0]!] })),
    );
    expect(() => runDag(mock, new EvalContext(), { outputOffsets: [1], encodeType: 1 })).toThrow(
      "Invalid output offset (schema has 1 columns, access index 1)",
    );
  });
});

describe("evalContextFromDag", () => {
  it("reads flags, sql mode, time zone (name before offset), warnings bound, div precision", () => {
    const ctx = evalContextFromDag({
      flags: u64(2),
      sqlMode: u64(1n << 21n),
      timeZoneName: "Asia/Shanghai",
      timeZoneOffset: i64(3600),
      maxWarningCount: u64(5),
      divPrecisionIncrement: 6,
    });
    expect(ctx.flags).toBe(2);
    expect(ctx.sqlMode).toBe(1n << 21n);
    expect(ctx.timeZone.name).toBe("Asia/Shanghai");
    expect(ctx.maxWarningCount).toBe(5);
    expect(ctx.divPrecisionIncrement).toBe(6);
    expect(evalContextFromDag({ timeZoneOffset: i64(-28800) }).timeZone.name).toBe("-08:00");
  });
});
