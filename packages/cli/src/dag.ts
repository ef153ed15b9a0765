// Building DAG requests as TiDB does (column infos, column references, constants, scalar
// functions; tipb expression encoding as read by TiKV tidb_query_expr types/expr_builder.rs) and
// printing their Chunk answers and execution summaries as aligned text tables.
import { ByteWriter, decodeChunk, writeI64 } from "@copr/codec";
import { Decimal, Duration, Enum, type FieldType, MySqlSet, Time } from "@copr/datatype";
import { i64, tipb, toBigInt, u64 } from "@copr/proto";
import type { ColumnDef } from "./schema.js";

/** A schema column as a TableScan/IndexScan ColumnInfo. */
export function columnInfo(col: ColumnDef, pkHandle = false): tipb.ColumnInfo.$Properties {
  const ft = col.ft;
  return {
    columnId: i64(col.id),
    tp: ft.tp,
    flag: ft.flag ?? 0,
    columnLen: ft.flen ?? -1,
    decimal: ft.decimal ?? -1,
    collation: ft.collate ?? 63,
    elems: [...(ft.elems ?? [])],
    pkHandle,
  };
}

/** A field type as a tipb.FieldType. */
export function fieldTypePb(ft: FieldType): tipb.FieldType.$Properties {
  return {
    tp: ft.tp,
    flag: ft.flag ?? 0,
    flen: ft.flen ?? -1,
    decimal: ft.decimal ?? -1,
    collate: ft.collate ?? 63,
    charset: ft.charset ?? "binary",
    elems: [...(ft.elems ?? [])],
  };
}

function i64Bytes(v: number | bigint): Uint8Array {
  const w = new ByteWriter(8);
  writeI64(w, v);
  return w.finish();
}

/** A reference to the child's output column `offset`. */
export function colRef(offset: number, ft: FieldType): tipb.Expr.$Properties {
  return { tp: tipb.ExprType.ColumnRef, val: i64Bytes(offset), fieldType: fieldTypePb(ft) };
}

/** A BIGINT constant. */
export function intConst(v: number | bigint, ft: FieldType): tipb.Expr.$Properties {
  return { tp: tipb.ExprType.Int64, val: i64Bytes(v), fieldType: fieldTypePb(ft) };
}

/** A scalar function call. */
export function func(
  sig: tipb.ScalarFuncSig,
  ft: FieldType,
  ...children: tipb.Expr.$Properties[]
): tipb.Expr.$Properties {
  return { tp: tipb.ExprType.ScalarFunc, sig, fieldType: fieldTypePb(ft), children };
}

/** An aggregate function call. */
export function aggFunc(
  tp: tipb.ExprType,
  ft: FieldType,
  ...children: tipb.Expr.$Properties[]
): tipb.Expr.$Properties {
  return { tp, fieldType: fieldTypePb(ft), children };
}

const utf8 = new TextDecoder();

/** A decoded value as display text (NULL for null). */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (v instanceof Uint8Array) return utf8.decode(v);
  if (
    v instanceof Decimal ||
    v instanceof Time ||
    v instanceof Duration ||
    v instanceof Enum ||
    v instanceof MySqlSet
  )
    return v.toString();
  if (typeof v === "number" && !Number.isInteger(v)) return String(v);
  return String(v);
}

/** Decodes the Chunk-encoded rows of a SelectResponse into display rows. */
export function responseRows(
  response: tipb.SelectResponse.$Properties,
  types: readonly FieldType[],
): string[][] {
  const rows: string[][] = [];
  for (const c of response.chunks ?? []) {
    if (!c.rowsData || c.rowsData.length === 0) continue;
    const cols = decodeChunk(c.rowsData, types);
    const n = cols[0]?.length ?? 0;
    for (let i = 0; i < n; i++)
      rows.push(cols.map((col) => formatValue((col as { get(i: number): unknown }).get(i))));
  }
  return rows;
}

/** Right-aligns numbers, left-aligns text: an aligned table with a header rule. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^-?\d+(\.\d+)?$|^NULL$/.test(r[i] ?? "")),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  return [
    rule,
    line(header.map((h, i) => (numeric[i] ? h.padStart(widths[i]!) : h.padEnd(widths[i]!)))),
    rule,
    ...rows.map(line),
    rule,
  ].join("\n");
}

/** The per-executor execution summaries of a response, as a table. */
export function formatSummaries(
  names: readonly string[],
  summaries: readonly tipb.ExecutorExecutionSummary.$Properties[],
): string {
  const rows = summaries.map((s, i) => [
    names[i] ?? `executor ${i}`,
    String(toBigInt(s.numProducedRows ?? undefined)),
    String(toBigInt(s.numIterations ?? undefined)),
    `${(Number(toBigInt(s.timeProcessedNs ?? undefined)) / 1e6).toFixed(3)} ms`,
  ]);
  return formatTable(["executor", "rows", "iterations", "time"], rows);
}

/** Adds up several regions' summaries executor by executor (rows, iterations and time). */
export function mergeSummaries(
  all: readonly (readonly tipb.ExecutorExecutionSummary.$Properties[])[],
): tipb.ExecutorExecutionSummary.$Properties[] {
  const out: { rows: bigint; iters: bigint; ns: bigint }[] = [];
  for (const list of all) {
    list.forEach((s, i) => {
      if (out[i] === undefined) out[i] = { rows: 0n, iters: 0n, ns: 0n };
      const o = out[i]!;
      o.rows += toBigInt(s.numProducedRows ?? undefined);
      o.iters += toBigInt(s.numIterations ?? undefined);
      o.ns += toBigInt(s.timeProcessedNs ?? undefined);
    });
  }
  return out.map((o) => ({
    numProducedRows: u64(o.rows),
    numIterations: u64(o.iters),
    timeProcessedNs: u64(o.ns),
  }));
}
