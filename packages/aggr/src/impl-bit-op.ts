// BIT_AND, BIT_OR and BIT_XOR. Behaviour of TiKV components/tidb_query_aggr/src/impl_bit_op.rs:
// the 64 bits of every non-NULL argument value are combined into an unsigned 64-bit state that
// starts at all ones (AND) or zero (OR, XOR); NULLs are skipped and an empty group gives the
// initial value, never NULL. Non-integer arguments are cast to BIGINT first (by the parser);
// ENUM (member index) and SET (mask) arguments are read as those integers directly.
//
// The state is two unsigned 32-bit words: no bigint per row, and BIGINT columns held as
// BigInt64Array are read through a 32-bit view of the same memory.
import {
  assert,
  type Column,
  type ColumnBuilder,
  type EvalContext,
  EvalType,
  type LogicalRows,
} from "@copr/datatype";
import type { AggrFunction, AggrFunctionState } from "./interface.js";
import { appendIntBits, logicalCount } from "./util.js";

/** Which bit operation. */
export type BitOpKind = "BitAnd" | "BitOr" | "BitXor";

/** The BIT_AND / BIT_OR / BIT_XOR aggregate function over integer (or ENUM/SET) arguments. */
export class AggrFnBitOp implements AggrFunction {
  readonly name: string;

  constructor(readonly kind: BitOpKind) {
    this.name = `AggrFnBitOp<${kind}>`;
  }

  createState(): AggrFunctionState {
    return new BitOpState(this.kind);
  }
}

const TWO_32 = 4_294_967_296;

/** The state of a bit operation: the 64-bit result as two unsigned words. */
export class BitOpState implements AggrFunctionState {
  private lo: number;
  private hi: number;

  constructor(private readonly kind: BitOpKind) {
    const init = kind === "BitAnd" ? 0xffff_ffff : 0;
    this.lo = init;
    this.hi = init;
  }

  private apply(lo: number, hi: number): void {
    switch (this.kind) {
      case "BitAnd":
        this.lo = (this.lo & lo) >>> 0;
        this.hi = (this.hi & hi) >>> 0;
        break;
      case "BitOr":
        this.lo = (this.lo | lo) >>> 0;
        this.hi = (this.hi | hi) >>> 0;
        break;
      case "BitXor":
        this.lo = (this.lo ^ lo) >>> 0;
        this.hi = (this.hi ^ hi) >>> 0;
        break;
    }
  }

  /** An integer |v| <= 2^53 as its two's complement 64-bit words. */
  private applyNumber(v: number): void {
    const hi = Math.floor(v / TWO_32);
    this.apply(v - hi * TWO_32, hi >>> 0);
  }

  update(_ctx: EvalContext, value: unknown): void {
    if (value === null) return;
    if (typeof value === "bigint") {
      const bits = BigInt.asUintN(64, value);
      this.apply(Number(bits & 0xffff_ffffn), Number(bits >> 32n));
    } else if (typeof value === "number") {
      this.applyNumber(value);
    } else if (typeof value === "object" && value !== null && "lo" in value) {
      const s = value as { lo: number; hi: number };
      this.apply(s.lo, s.hi);
    } else {
      this.applyNumber((value as { value: number }).value);
    }
  }

  updateRepeat(ctx: EvalContext, value: unknown, times: number): void {
    if (value === null || times === 0) return;
    // AND and OR are idempotent; XOR of a value with itself cancels.
    if (this.kind === "BitXor" && times % 2 === 0) return;
    this.update(ctx, value);
  }

  updateRow(_ctx: EvalContext, column: Column, row: number): void {
    if (column.isNull(row)) return;
    switch (column.evalType) {
      case EvalType.Int: {
        const d = column.data;
        if (d.repr === "f64") this.applyNumber(d.values[row]!);
        else {
          const w = new Uint32Array(d.values.buffer, d.values.byteOffset + row * 8, 2);
          this.apply(w[0]!, w[1]!);
        }
        return;
      }
      case EvalType.Enum:
        this.applyNumber(column.values[row]!);
        return;
      case EvalType.Set:
        this.apply(column.words[2 * row]!, column.words[2 * row + 1]!);
        return;
      default:
        assert(false, `BIT operations read Int, Enum or Set, not ${column.evalType}`);
    }
  }

  updateVector(ctx: EvalContext, column: Column, rows: LogicalRows): void {
    const n = logicalCount(column, rows);
    const hasNulls = column.nullCount > 0;
    if (column.evalType === EvalType.Int) {
      const d = column.data;
      if (d.repr === "f64") {
        const values = d.values;
        for (let k = 0; k < n; k++) {
          const r = rows === null ? k : rows[k]!;
          if (hasNulls && column.isNull(r)) continue;
          this.applyNumber(values[r]!);
        }
      } else {
        const words = new Uint32Array(d.values.buffer, d.values.byteOffset, d.values.length * 2);
        for (let k = 0; k < n; k++) {
          const r = rows === null ? k : rows[k]!;
          if (hasNulls && column.isNull(r)) continue;
          this.apply(words[2 * r]!, words[2 * r + 1]!);
        }
      }
      return;
    }
    for (let k = 0; k < n; k++) this.updateRow(ctx, column, rows === null ? k : rows[k]!);
  }

  pushResult(_ctx: EvalContext, target: readonly ColumnBuilder[]): void {
    appendIntBits(target[0]!, (BigInt(this.hi) << 32n) | BigInt(this.lo));
  }
}
