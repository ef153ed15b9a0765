// Deferred (lazy) columns of the batch decoder: values kept raw while rows are appended and
// decoded later for some rows must equal what an eager decode gives for those rows, for every
// type, NULLs, defaults and row v1 rows alike.
import { Decimal, EvalContext, FieldTypeFlag, FieldTypeTp, fieldType } from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Datum, encodeValue } from "../src/datum.js";
import { RowV2Encoder, type RowV2Value } from "../src/row-v2.js";
import { RowV2BatchDecoder, type RowV2ColumnSpec } from "../src/row-v2-decoder.js";
import { actual, type Table, tableArb } from "./row-v2-fixtures.js";

function encodeTable(t: Table): Uint8Array[] {
  const enc = new RowV2Encoder();
  return t.rows.map((row) => {
    const ids: number[] = [];
    const fts = [];
    const values: RowV2Value[] = [];
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (v === undefined) continue;
      ids.push(t.ids[i]!);
      fts.push(t.types[i]!.ft);
      values.push(v);
    }
    return enc.encode(ids, fts, values);
  });
}

describe("deferred columns", () => {
  it("decode the wanted rows as an eager decode does (random tables, random deferral and rows)", () => {
    fc.assert(
      fc.property(
        tableArb(300, 10).chain((t) =>
          fc.tuple(
            fc.constant(t),
            fc.array(fc.boolean(), { minLength: t.ids.length, maxLength: t.ids.length }),
            fc.array(fc.boolean(), { minLength: t.rows.length, maxLength: t.rows.length }),
          ),
        ),
        ([t, defer, keep]) => {
          const rows = encodeTable(t);
          const specs: RowV2ColumnSpec[] = t.ids.map((id, i) => ({ id, ft: t.types[i]!.ft }));
          const eager = new RowV2BatchDecoder(specs);
          const lazy = new RowV2BatchDecoder(specs, { deferred: defer });
          // Two batches through the same decoders: the second must not see the first's raw values.
          for (let batch = 0; batch < 2; batch++) {
            for (const r of rows) {
              eager.appendRow(r);
              lazy.appendRow(r);
            }
            const want = eager.finish();
            const { columns, deferred } = lazy.finishLazy();
            expect(deferred.rows).toBe(rows.length);
            const live = Uint32Array.from(keep.flatMap((k, r) => (k ? [r] : [])));
            for (let ci = 0; ci < specs.length; ci++) {
              expect(deferred.isDeferred(ci)).toBe(defer[ci] === true);
              const col = deferred.isDeferred(ci) ? deferred.decode(ci, live) : columns[ci]!;
              expect(col.length).toBe(rows.length);
              for (const r of live)
                expect(actual(col, r), `column ${ci} row ${r}`).toEqual(actual(want[ci]!, r));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("values left in stable row bytes, decoded after the next batch is appended, in any row order", () => {
    fc.assert(
      fc.property(
        tableArb(200, 8).chain((t) =>
          fc.tuple(
            fc.constant(t),
            fc.array(fc.boolean(), { minLength: t.ids.length, maxLength: t.ids.length }),
            fc.shuffledSubarray(
              Array.from({ length: t.rows.length }, (_, i) => i),
              { minLength: 0 },
            ),
            fc.boolean(),
          ),
        ),
        ([t, defer, liveRows, sorted]) => {
          const rows = encodeTable(t);
          // The rows in arenas as an in-memory store keeps them: most in one, every fifth in
          // another (those are copied: a batch leaves values in one array only).
          const size = rows.reduce((n, r) => n + r.length + 3, 0);
          const arenas = [new Uint8Array(size), new Uint8Array(size)];
          const at: number[] = [];
          const arenaOf: Uint8Array[] = [];
          let p = 0;
          rows.forEach((r, i) => {
            p += 3;
            const arena = arenas[i % 5 === 4 ? 1 : 0]!;
            arena.set(r, p);
            at.push(p);
            arenaOf.push(arena);
            p += r.length;
          });
          const specs: RowV2ColumnSpec[] = t.ids.map((id, i) => ({ id, ft: t.types[i]!.ft }));
          const want = new RowV2BatchDecoder(specs);
          for (const r of rows) want.appendRow(r);
          const eager = want.finish();
          const lazy = new RowV2BatchDecoder(specs, { deferred: defer });
          const appendAll = () => {
            for (let i = 0; i < rows.length; i++) {
              lazy.appendRowRange(arenaOf[i]!, at[i]!, at[i]! + rows[i]!.length, 0, 0, true);
            }
          };
          appendAll();
          const first = lazy.finishLazy();
          appendAll(); // the next batch, before the first one's deferred columns are decoded
          const live = Uint32Array.from(sorted ? [...liveRows].sort((a, b) => a - b) : liveRows);
          const deferredCols = specs.map((_, ci) => ci).filter((ci) => first.deferred.isDeferred(ci));
          // Half the deferred columns now, the rest after the second batch is finished.
          const now = deferredCols.slice(0, Math.ceil(deferredCols.length / 2));
          const later = deferredCols.slice(now.length);
          const check = (ci: number) => {
            const col = first.deferred.decode(ci, live);
            expect(col.length).toBe(rows.length);
            for (const r of live)
              expect(actual(col, r), `column ${ci} row ${r}`).toEqual(actual(eager[ci]!, r));
          };
          for (const ci of now) check(ci);
          const second = lazy.finishLazy();
          for (const ci of later) check(ci);
          for (let ci = 0; ci < specs.length; ci++) {
            if (!second.deferred.isDeferred(ci)) continue;
            const col = second.deferred.decode(ci, null);
            for (let r = 0; r < rows.length; r++) expect(actual(col, r)).toEqual(actual(eager[ci]!, r));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("recycleBuffers: batch after batch the columns equal a fresh decoder's, read before the next batch", () => {
    fc.assert(
      fc.property(
        tableArb(200, 8).chain((t) =>
          fc.tuple(
            fc.constant(t),
            fc.array(fc.boolean(), { minLength: t.ids.length, maxLength: t.ids.length }),
            fc.integer({ min: 2, max: 12 }),
          ),
        ),
        ([t, defer, batches]) => {
          const rows = encodeTable(t);
          const specs: RowV2ColumnSpec[] = t.ids.map((id, i) => ({ id, ft: t.types[i]!.ft }));
          const fresh = new RowV2BatchDecoder(specs, { deferred: defer, capacity: 4 });
          const recycled = new RowV2BatchDecoder(specs, {
            deferred: defer,
            capacity: 4,
            recycleBuffers: true,
          });
          for (let batch = 0; batch < batches; batch++) {
            // Batches of different lengths (a rotation of the rows), so buffers are reused unevenly.
            const these = rows.slice(batch % rows.length).concat(rows.slice(0, batch % rows.length));
            for (const r of these) {
              fresh.appendRow(r);
              recycled.appendRow(r);
            }
            const a = fresh.finish();
            const b = recycled.finish();
            for (let ci = 0; ci < specs.length; ci++) {
              for (let r = 0; r < these.length; r++) {
                expect(actual(b[ci]!, r), `batch ${batch} column ${ci} row ${r}`).toEqual(actual(a[ci]!, r));
              }
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuses to decode a batch's deferred column once rows of the batch after next are appended", () => {
    const int = fieldType(FieldTypeTp.LongLong);
    const d = new RowV2BatchDecoder(
      [
        { id: 1, ft: int },
        { id: 2, ft: int },
      ],
      { deferred: [false, true] },
    );
    const row = new RowV2Encoder().encode([1, 2], [int, int], [1, 2]);
    d.appendRow(row);
    const first = d.finishLazy();
    d.appendRow(row);
    d.finishLazy();
    d.appendRow(row);
    expect(() => first.deferred.decode(1, null)).toThrow(/after the rows of a later batch/);
  });

  it("observe(): batches after a mostly-kept one decode at once, after a filtered one defer; same values", () => {
    fc.assert(
      fc.property(
        tableArb(300, 8).chain((t) =>
          fc.tuple(fc.constant(t), fc.array(fc.nat(t.rows.length), { minLength: 1, maxLength: 5 })),
        ),
        ([t, keptPerBatch]) => {
          const rows = encodeTable(t);
          const specs: RowV2ColumnSpec[] = t.ids.map((id, i) => ({ id, ft: t.types[i]!.ft }));
          const eager = new RowV2BatchDecoder(specs);
          const lazy = new RowV2BatchDecoder(specs, { deferred: specs.map(() => true) });
          let expectDeferred = true;
          for (const kept of keptPerBatch) {
            for (const r of rows) {
              eager.appendRow(r);
              lazy.appendRow(r);
            }
            const want = eager.finish();
            const { columns, deferred } = lazy.finishLazy();
            for (let ci = 0; ci < specs.length; ci++) {
              expect(deferred.isDeferred(ci)).toBe(expectDeferred);
              const col = deferred.isDeferred(ci) ? deferred.decode(ci, null) : columns[ci]!;
              for (let r = 0; r < rows.length; r++) expect(actual(col, r)).toEqual(actual(want[ci]!, r));
            }
            deferred.observe(kept);
            expectDeferred = kept * 2 < rows.length;
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("finish() decodes deferred columns for every row", () => {
    fc.assert(
      fc.property(tableArb(300, 8), (t) => {
        const rows = encodeTable(t);
        const specs: RowV2ColumnSpec[] = t.ids.map((id, i) => ({ id, ft: t.types[i]!.ft }));
        const eager = new RowV2BatchDecoder(specs);
        const lazy = new RowV2BatchDecoder(specs, { deferred: specs.map(() => true) });
        for (const r of rows) {
          eager.appendRow(r);
          lazy.appendRow(r);
        }
        const want = eager.finish();
        const got = lazy.finish();
        for (let ci = 0; ci < specs.length; ci++) {
          for (let r = 0; r < rows.length; r++) expect(actual(got[ci]!, r)).toEqual(actual(want[ci]!, r));
        }
      }),
      { numRuns: 100 },
    );
  });

  it("row v1 rows, NULLs and defaults in deferred columns", () => {
    const ctx = EvalContext.forTest();
    const dec = fieldType(FieldTypeTp.NewDecimal, { flen: 10, decimal: 2 });
    const int = fieldType(FieldTypeTp.LongLong);
    const specs: RowV2ColumnSpec[] = [
      { id: 2, ft: dec },
      { id: 3, ft: int, defaultValue: 42 },
      { id: 4, ft: fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.NotNull }) },
    ];
    const d = new RowV2BatchDecoder(specs, { ctx, deferred: [true, true, false] });
    // v1 row: id 2 = 12.50, id 4 = 7 (id 3 missing: default 42)
    d.appendRow(
      encodeValue([
        Datum.int(2),
        Datum.decimal(Decimal.fromString("12.50"), 10, 2),
        Datum.int(4),
        Datum.int(7),
      ]),
    );
    // v2 row: id 2 NULL, id 3 = 5, id 4 = 8
    d.appendRow(new RowV2Encoder().encode([2, 3, 4], [dec, int, int], [null, 5, 8]));
    const { columns, deferred } = d.finishLazy();
    expect(deferred.isDeferred(2)).toBe(false);
    const c0 = deferred.decode(0, null);
    const c1 = deferred.decode(1, Uint32Array.of(0, 1));
    expect(actual(c0, 0)).toEqual("12.50");
    expect(actual(c0, 1)).toBeNull();
    expect([Number(actual(c1, 0)), Number(actual(c1, 1))]).toEqual([42, 5]);
    expect([Number(actual(columns[2]!, 0)), Number(actual(columns[2]!, 1))]).toEqual([7, 8]);
    expect(() => deferred.decode(0, null)).toThrow(/not a deferred column/);
  });
});
