// The projection executor (TiKV components/tidb_query_executors/src/projection_executor.rs): one
// output column per expression, evaluated over the child's batch. Also the column gather this
// package's executors share (copying chosen rows of columns into a new column).
import {
  ChunkedVecBytes,
  ChunkedVecDateTime,
  ChunkedVecDecimal,
  ChunkedVecDuration,
  ChunkedVecEnum,
  ChunkedVecInt,
  ChunkedVecIntBuilder,
  ChunkedVecJson,
  ChunkedVecReal,
  ChunkedVecSet,
  ChunkedVecVectorFloat32,
  type Column,
  columnBuilderFor,
  DECIMAL_CHUNK_WORDS,
  EvalContext,
  EvalWarnings,
  emptyColumn,
  type FieldType,
  type LogicalRows,
  logicalRowCount,
} from "@copr/datatype";
import { type BuildOptions, buildRpn, type EvalResult, evalRpn, type RpnExpression } from "@copr/expr";
import type { tipb } from "@copr/proto";
import type { BatchExecuteResult, BatchExecutor, ExecuteStats, IntervalRange } from "./interface.js";

/** How expressions of an executor are built: a test may supply its own function lookup. */
export type ExprBuildOptions = Pick<BuildOptions, "lookup">;

/** Builds `exprs` over a child schema (TiKV `RpnExpressionBuilder::build_from_expr_tree`). */
export function buildExprs(
  exprs: readonly tipb.Expr.$Properties[],
  schema: readonly FieldType[],
  ctx: EvalContext,
  options: ExprBuildOptions = {},
): RpnExpression[] {
  return exprs.map((e) =>
    buildRpn(e, {
      schemaLength: schema.length,
      ctx,
      ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
    }),
  );
}

/** The field type of what `expr` evaluates to over `schema` (TiKV `RpnExpression::ret_field_type`). */
export function rpnFieldType(expr: RpnExpression, schema: readonly FieldType[]): FieldType {
  const last = expr.nodes[expr.nodes.length - 1];
  if (last === undefined) throw new RangeError("empty RPN expression");
  if (last.kind === "column") {
    const ft = schema[last.offset];
    if (ft === undefined) throw new RangeError(`column ${last.offset} outside a schema of ${schema.length}`);
    return ft;
  }
  return last.fieldType;
}

/** The warnings collected in `ctx` so far; `ctx` starts a new empty list (TiKV `take_warnings`). */
export function takeWarnings(ctx: EvalContext): EvalWarnings {
  const w = ctx.warnings;
  ctx.warnings = new EvalWarnings(ctx.maxWarningCount);
  return w;
}

/** `a` followed by `b` (either may be null); null when there is no warning at all. */
export function mergeWarnings(a: EvalWarnings | null, b: EvalWarnings | null): EvalWarnings | null {
  if (b === null || b.count === 0) return a;
  if (a === null) return b;
  a.merge(b);
  return a;
}

/** The number of rows of a batch's physical columns (0 for a batch without columns). */
export function physicalLength(columns: readonly Column[]): number {
  return columns.length > 0 ? columns[0]!.length : 0;
}

/** The number of logical rows of a batch. */
export function batchLogicalCount(r: Pick<BatchExecuteResult, "columns" | "logicalRows">): number {
  return logicalRowCount(r.logicalRows, physicalLength(r.columns));
}

/**
 * A new column of `rows.length` rows: row `j` is row `rows[j]` of `sources[which[j]]` (of
 * `sources[0]` when `which` is null). Every source must be of the same eval type (and, for Int,
 * Duration, Enum and Set, of the same signedness, fsp or members; the first source's win). One
 * pass over typed arrays per column kind; no per-row object except for Int columns wider than
 * 2^53 (a bigint per value, as their builder takes).
 */
export function gatherColumn(
  sources: readonly Column[],
  which: ArrayLike<number> | null,
  rows: ArrayLike<number>,
): Column {
  const first = sources[0];
  if (first === undefined) throw new RangeError("gatherColumn needs at least one source column");
  const n = rows.length;
  const srcOf = which === null ? (_j: number) => first : (j: number) => sources[which[j]!]!;
  const [validity, nulls] = gatherValidity(sources, srcOf, rows);
  switch (first.evalType) {
    case "Int": {
      let allF64 = true;
      for (const s of sources) if ((s as ChunkedVecInt).data.repr !== "f64") allF64 = false;
      if (allF64) {
        const out = new Float64Array(n);
        for (let j = 0; j < n; j++)
          out[j] = ((srcOf(j) as ChunkedVecInt).data.values as Float64Array)[rows[j]!]!;
        return new ChunkedVecInt({ repr: "f64", values: out }, first.unsigned, validity, nulls);
      }
      // Some values are wider than 2^53: the builder picks the representation.
      const b = new ChunkedVecIntBuilder({ unsigned: first.unsigned, capacity: n });
      for (let j = 0; j < n; j++) {
        const s = srcOf(j) as ChunkedVecInt;
        const r = rows[j]!;
        if (s.isNull(r)) b.appendNull();
        else if (s.data.repr === "f64") b.append(s.data.values[r]!);
        else b.append(first.unsigned ? s.data.unsignedValues[r]! : s.data.values[r]!);
      }
      return b.finish();
    }
    case "Real": {
      const out = new Float64Array(n);
      for (let j = 0; j < n; j++) out[j] = (srcOf(j) as ChunkedVecReal).values[rows[j]!]!;
      return new ChunkedVecReal(out, validity, nulls);
    }
    case "Duration": {
      const out = new Float64Array(n);
      for (let j = 0; j < n; j++) out[j] = (srcOf(j) as ChunkedVecDuration).nanos[rows[j]!]!;
      return new ChunkedVecDuration(out, first.fsp, validity, nulls);
    }
    case "Enum": {
      const out = new Uint32Array(n);
      for (let j = 0; j < n; j++) out[j] = (srcOf(j) as ChunkedVecEnum).values[rows[j]!]!;
      return new ChunkedVecEnum(out, first.elems, validity, nulls);
    }
    case "Decimal": {
      const W = DECIMAL_CHUNK_WORDS;
      const out = new Int32Array(n * W);
      for (let j = 0; j < n; j++) {
        const words = (srcOf(j) as ChunkedVecDecimal).words;
        const from = rows[j]! * W;
        for (let w = 0; w < W; w++) out[j * W + w] = words[from + w]!;
      }
      return new ChunkedVecDecimal(out, validity, nulls);
    }
    case "DateTime":
    case "Set": {
      const out = new Uint32Array(2 * n);
      for (let j = 0; j < n; j++) {
        const words = (srcOf(j) as ChunkedVecDateTime | ChunkedVecSet).words;
        const r = rows[j]!;
        out[2 * j] = words[2 * r]!;
        out[2 * j + 1] = words[2 * r + 1]!;
      }
      return first.evalType === "Set"
        ? new ChunkedVecSet(out, first.elems, validity, nulls)
        : new ChunkedVecDateTime(out, validity, nulls);
    }
    case "Bytes":
    case "Json": {
      const [data, offsets] = gatherVarLen(srcOf as (j: number) => ChunkedVecBytes, rows, Uint8Array);
      return first.evalType === "Json"
        ? new ChunkedVecJson(data, offsets, validity, nulls)
        : new ChunkedVecBytes(data, offsets, validity, nulls);
    }
    case "VectorFloat32": {
      const [data, offsets] = gatherVarLen(
        srcOf as (j: number) => ChunkedVecVectorFloat32,
        rows,
        Float32Array,
      );
      return new ChunkedVecVectorFloat32(data, offsets, validity, nulls);
    }
  }
}

function gatherValidity(
  sources: readonly Column[],
  srcOf: (j: number) => Column,
  rows: ArrayLike<number>,
): [Uint8Array | null, number] {
  let anyNull = false;
  for (const s of sources) if (s.nullCount > 0) anyNull = true;
  if (!anyNull) return [null, 0];
  const n = rows.length;
  const bits = new Uint8Array((n + 7) >>> 3);
  let nulls = 0;
  for (let j = 0; j < n; j++) {
    if (srcOf(j).isNull(rows[j]!)) nulls++;
    else bits[j >>> 3]! |= 1 << (j & 7);
  }
  return [nulls === 0 ? null : bits, nulls];
}

interface VarLenSource<A> {
  readonly data: A;
  readonly offsets: Int32Array;
}

function gatherVarLen<A extends Uint8Array | Float32Array>(
  srcOf: (j: number) => VarLenSource<A>,
  rows: ArrayLike<number>,
  ctor: new (length: number) => A,
): [A, Int32Array] {
  const n = rows.length;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let j = 0; j < n; j++) {
    const o = srcOf(j).offsets;
    const r = rows[j]!;
    total += o[r + 1]! - o[r]!;
    offsets[j + 1] = total;
  }
  const data = new ctor(total);
  for (let j = 0; j < n; j++) {
    const s = srcOf(j);
    const r = rows[j]!;
    const start = s.offsets[r]!;
    const end = s.offsets[r + 1]!;
    const to = offsets[j]!;
    if (end - start <= 16) {
      for (let i = start; i < end; i++) data[to + i - start] = s.data[i]!;
    } else {
      data.set(s.data.subarray(start, end) as ArrayLike<number> as A, to);
    }
  }
  return [data, offsets];
}

/** A column of `n` rows all holding the constant `value` (null for NULL) of field type `ft`. */
export function expandScalar(value: unknown, ft: FieldType, n: number): Column {
  const b = columnBuilderFor(ft, 1);
  if (value === null || value === undefined) b.appendNull();
  else (b as unknown as { append(v: unknown): void }).append(value);
  return gatherColumn([b.finish()], null, new Uint32Array(n));
}

/**
 * The value of an expression as a column with one row per logical row (`n` of them): a computed
 * column as is, a column reference gathered through its logical rows, a constant expanded.
 */
export function evalResultToColumn(r: EvalResult, n: number): Column {
  if (r.kind === "scalar") return expandScalar(r.value, r.fieldType, n);
  if (r.rows === null && r.column.length === n) return r.column;
  return gatherColumn([r.column], null, r.rows ?? identityRows(n));
}

/** `0, 1, …, n-1`. */
export function identityRows(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Evaluates one expression per output column over each batch of the child (TiKV
 * `BatchProjectionExecutor`).
 *
 * - When every expression is a column reference, the output is the child's columns (no copy)
 *   with the child's logical rows. TiKV takes this path only without duplicate references; a
 *   duplicate here shares the same immutable column.
 * - Otherwise each expression's value becomes a new column aligned with the logical rows
 *   (a column reference is gathered through them, a constant repeated), and the output's
 *   logical rows are the identity.
 * - A batch without logical rows is not evaluated: its output columns are empty.
 * - An evaluation error is thrown (TiKV ends the executor with it).
 */
export class BatchProjectionExecutor implements BatchExecutor {
  private readonly exprs: readonly RpnExpression[];
  private readonly outSchema: readonly FieldType[];
  private readonly columnRefsOnly: readonly number[] | null;

  /**
   * `exprs` are built over the child's schema; a build error (unsupported function, bad column
   * offset…) is thrown here.
   */
  constructor(
    private readonly child: BatchExecutor,
    exprs: readonly tipb.Expr.$Properties[],
    private readonly ctx: EvalContext = new EvalContext(),
    options: ExprBuildOptions = {},
  ) {
    const schema = child.schema();
    this.exprs = buildExprs(exprs, schema, ctx, options);
    this.outSchema = this.exprs.map((e) => rpnFieldType(e, schema));
    const offsets: number[] = [];
    for (const e of this.exprs) {
      const single = e.single;
      if (single?.kind !== "column") {
        offsets.length = 0;
        this.columnRefsOnly = null;
        return;
      }
      offsets.push(single.offset);
    }
    this.columnRefsOnly = offsets;
  }

  schema(): readonly FieldType[] {
    return this.outSchema;
  }

  nextBatch(scanRows: number): BatchExecuteResult {
    const src = this.child.nextBatch(scanRows);
    const n = batchLogicalCount(src);
    if (n === 0) {
      return {
        columns: this.outSchema.map(emptyColumn),
        logicalRows: new Uint32Array(0),
        warnings: mergeWarnings(src.warnings, takeWarnings(this.ctx)),
        isDrained: src.isDrained,
      };
    }
    let columns: Column[];
    let logicalRows: LogicalRows;
    if (this.columnRefsOnly !== null) {
      columns = this.columnRefsOnly.map((o) => src.columns[o]!);
      // Without any output column the row count would be lost: keep it in explicit logical rows.
      logicalRows = columns.length === 0 && src.logicalRows === null ? identityRows(n) : src.logicalRows;
    } else {
      const input = { schema: this.child.schema(), columns: src.columns, logicalRows: src.logicalRows };
      columns = this.exprs.map((e) => evalResultToColumn(evalRpn(e, this.ctx, input), n));
      logicalRows = null;
    }
    return {
      columns,
      logicalRows,
      warnings: mergeWarnings(src.warnings, takeWarnings(this.ctx)),
      isDrained: src.isDrained,
    };
  }

  collectExecStats(dest: ExecuteStats): void {
    this.child.collectExecStats(dest);
  }

  takeScannedRange(): IntervalRange {
    return this.child.takeScannedRange();
  }

  canBeCached(): boolean {
    return this.child.canBeCached();
  }
}
