// A child executor that emits fixed batches (TiKV's MockExecutor in executors tests).
import type { Column, FieldType, LogicalRows } from "@copr/datatype";
import {
  type BatchExecuteResult,
  type BatchExecutor,
  Drain,
  type ExecuteStats,
  type IntervalRange,
} from "../src/index.js";

export interface MockBatch {
  columns: Column[];
  logicalRows: LogicalRows;
}

/** Emits `batches` in order; the last one is marked drained. */
export class MockExecutor implements BatchExecutor {
  private i = 0;
  /** The `scanRows` of every call, for tests of batch growth. */
  readonly calls: number[] = [];

  constructor(
    private readonly fieldTypes: readonly FieldType[],
    private readonly batches: readonly MockBatch[],
  ) {}

  schema(): readonly FieldType[] {
    return this.fieldTypes;
  }

  nextBatch(scanRows: number): BatchExecuteResult {
    this.calls.push(scanRows);
    const b = this.batches[this.i++];
    if (b === undefined) throw new Error("nextBatch called after the last batch");
    return {
      columns: b.columns,
      logicalRows: b.logicalRows,
      warnings: null,
      isDrained: this.i >= this.batches.length ? Drain.Drain : Drain.Remain,
    };
  }

  collectExecStats(_dest: ExecuteStats): void {}

  takeScannedRange(): IntervalRange {
    return { lower: new Uint8Array(), upper: new Uint8Array() };
  }

  canBeCached(): boolean {
    return true;
  }
}
