// appendRowRanges (a block of rows in one call, runs of rows sharing an id list decoded column by
// column) must build exactly the columns appendRowRange builds row by row: same values, NULLs and
// defaults, deferred or not, rows in one stable arena or copied, whatever breaks a run (another
// id list, big rows, checksums, empty rows) and however the rows are split into batches.
import { CodecError, Decimal, FieldTypeTp, fieldType } from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ROW_V2_FLAG_CHECKSUM, RowV2Encoder, type RowV2Value } from "../src/row-v2.js";
import { RowV2BatchDecoder, type RowV2ColumnSpec } from "../src/row-v2-decoder.js";
import { actual, type Table, tableArb } from "./row-v2-fixtures.js";

function encodeRow(t: Table, r: number): Uint8Array {
  const row = t.rows[r]!;
  const ids: number[] = [];
  const fts = [];
  const values: RowV2Value[] = [];
  for (let i = 0; i < row.length; i++) {
    if (row[i] === undefined) continue;
    ids.push(t.ids[i]!);
    fts.push(t.types[i]!.ft);
    values.push(row[i]!);
  }
  return new RowV2Encoder().encode(ids, fts, values);
}

/** `row` with a checksum trailer (flag bit 2, header byte 0 and a u32), which readers skip. */
function withChecksum(row: Uint8Array): Uint8Array {
  if (row.length === 0) return row;
  const out = new Uint8Array(row.length + 5);
  out.set(row);
  out[1] = out[1]! | ROW_V2_FLAG_CHECKSUM;
  out.set([0, 0xde, 0xad, 0xbe, 0xef], row.length);
  return out;
}

/** The rows in one arena behind 3-byte gaps, with their ranges at [4i + 2, 4i + 3] as a scan block. */
function arenaOf(rows: Uint8Array[]): { arena: Uint8Array; pos: Float64Array } {
  const arena = new Uint8Array(rows.reduce((n, r) => n + r.length + 3, 0));
  const pos = new Float64Array(4 * rows.length);
  let p = 0;
  rows.forEach((r, i) => {
    p += 3;
    arena.set(r, p);
    pos[4 * i + 2] = p;
    pos[4 * i + 3] = p + r.length;
    p += r.length;
  });
  return { arena, pos };
}

/** The message of the error `f` throws ("no error" if none). */
function messageOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}

/**
 * Rows of a table: one of its rows repeated (so runs of one id list form), or an empty or
 * checksummed one.
 */
const pickArb = (n: number) =>
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .tuple(fc.nat(n - 1), fc.integer({ min: 1, max: 90 }))
        .map(([r, times]) => Array.from({ length: times }, () => ({ r, kind: "plain" as const }))),
    },
    { weight: 1, arbitrary: fc.nat(n - 1).map((r) => [{ r, kind: "checksum" as const }]) },
    { weight: 1, arbitrary: fc.constant([{ r: 0, kind: "empty" as const }]) },
  );

describe("appendRowRanges", () => {
  it("builds the columns appendRowRange builds row by row (eager and deferred, stable or not)", () => {
    fc.assert(
      fc.property(
        tableArb(300, 10, 4).chain((t) =>
          fc.tuple(
            fc.constant(t),
            fc.array(pickArb(t.rows.length), { minLength: 1, maxLength: 8 }).map((p) => p.flat()),
            fc.array(fc.boolean(), { minLength: t.ids.length, maxLength: t.ids.length }),
            fc.boolean(),
            fc.integer({ min: 1, max: 150 }),
          ),
        ),
        ([t, picks, defer, stable, blockRows]) => {
          const encoded = t.rows.map((_, r) => encodeRow(t, r));
          const rows = picks.map((p) =>
            p.kind === "empty"
              ? new Uint8Array(0)
              : p.kind === "checksum"
                ? withChecksum(encoded[p.r]!)
                : encoded[p.r]!,
          );
          const { arena, pos } = arenaOf(rows);
          const specs: RowV2ColumnSpec[] = t.ids.map((id, i) => ({
            id,
            ft: t.types[i]!.ft,
            // Some columns get a default, so that rows without them read it.
            ...(i % 3 === 1 && t.rows[0]![i] != null ? { defaultValue: t.rows[0]![i] } : {}),
          }));
          const options = defer.includes(true) ? { deferred: defer } : {};
          const one = new RowV2BatchDecoder(specs, options);
          const many = new RowV2BatchDecoder(specs, options);
          // Two batches through the same decoders; the blocks of `many` split each batch.
          for (let batch = 0; batch < 2; batch++) {
            for (let i = 0; i < rows.length; i++)
              one.appendRowRange(arena, pos[4 * i + 2]!, pos[4 * i + 3]!, 0, 0, stable);
            for (let i = 0; i < rows.length; i += blockRows) {
              many.appendRowRanges(arena, pos, 4 * i + 2, 4, Math.min(blockRows, rows.length - i), stable);
            }
            expect(many.rowCount).toBe(rows.length);
            const want = one.finishLazy();
            const got = many.finishLazy();
            for (let ci = 0; ci < specs.length; ci++) {
              expect(got.deferred.isDeferred(ci)).toBe(want.deferred.isDeferred(ci));
              const a = want.deferred.isDeferred(ci) ? want.deferred.decode(ci, null) : want.columns[ci]!;
              const b = got.deferred.isDeferred(ci) ? got.deferred.decode(ci, null) : got.columns[ci]!;
              expect(b.length).toBe(rows.length);
              for (let r = 0; r < rows.length; r++)
                expect(actual(b, r), `column ${ci} row ${r}`).toEqual(actual(a, r));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reports a corrupt row in a run as a row v2 CodecError with the offset in its row", () => {
    const int = fieldType(FieldTypeTp.LongLong);
    const specs = [
      { id: 1, ft: int },
      { id: 2, ft: int },
    ];
    const enc = new RowV2Encoder();
    const good = enc.encode([1, 2], [int, int], [7, 300]);
    // The same header with the second value's end offset past the value area.
    const bad = good.slice();
    const offsetsAt = 6 + 2;
    bad[offsetsAt + 2] = 0xff;
    const { arena, pos } = arenaOf([good, good, bad, good]);
    const d = new RowV2BatchDecoder(specs);
    const err = (() => {
      try {
        d.appendRowRanges(arena, pos, 2, 4, 4);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(CodecError);
    // 6 header bytes, ids 1 and 2, two u16 offsets, then the values at 12: an end offset of 255
    // puts them at 12 + 255 = 267, past the 15 bytes of the row (offsets from the row's start).
    expect((err as CodecError).message).toBe("row v2: values end at 267, past the 15 bytes at offset 12");
  });

  it("reports a value that fails to decode with the offset in its row, as appendRowRange does", () => {
    const date = fieldType(FieldTypeTp.Date);
    const int = fieldType(FieldTypeTp.LongLong);
    const specs = [
      { id: 1, ft: int },
      { id: 2, ft: date },
    ];
    // A DATE stored in 3 bytes: compact unsigned integers take 1, 2, 4 or 8.
    const row = (n: number) =>
      Uint8Array.of(128, 0, 2, 0, 0, 0, 1, 2, 1, 0, 1 + n, 0, 5, ...Array(n).fill(1));
    const rows = [row(1), row(1), row(3)];
    const { arena, pos } = arenaOf(rows);
    const byRow = messageOf(() => {
      const d = new RowV2BatchDecoder(specs);
      for (let i = 0; i < 3; i++) d.appendRowRange(arena, pos[4 * i + 2]!, pos[4 * i + 3]!);
    });
    const byBlock = messageOf(() => new RowV2BatchDecoder(specs).appendRowRanges(arena, pos, 2, 4, 3));
    expect(byRow).toMatch(/^row v2: /);
    expect(byBlock).toBe(byRow);
  });

  it("reports a DECIMAL that fails to decode in a run of them as appendRowRange does", () => {
    const dec = fieldType(FieldTypeTp.NewDecimal, { flen: 10, decimal: 2 });
    const specs = [{ id: 1, ft: dec }];
    const enc = new RowV2Encoder();
    const good = enc.encode([1], [dec], [Decimal.fromString("12.50")]);
    // The same row with its digit groups all ones: a leading group too big for its digits.
    const bad = good.slice();
    bad.fill(0xff, good.length - 5);
    const rows = [good, good, good, bad, good];
    const { arena, pos } = arenaOf(rows);
    const byRow = messageOf(() => {
      const d = new RowV2BatchDecoder(specs);
      for (let i = 0; i < rows.length; i++) d.appendRowRange(arena, pos[4 * i + 2]!, pos[4 * i + 3]!);
    });
    const byBlock = messageOf(() =>
      new RowV2BatchDecoder(specs).appendRowRanges(arena, pos, 2, 4, rows.length),
    );
    expect(byRow).toMatch(/^row v2: .*decimal/);
    expect(byBlock).toBe(byRow);
  });
});
