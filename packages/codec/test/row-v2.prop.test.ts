// Property tests of row v2: encode → decode round trips over random schemas, projections, and
// fuzzing (random and mutated rows raise CodecError or decode, nothing else).
import { CodecError, type FieldType, isCoprError, Time, TimeType } from "@copr/datatype";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RowV2Encoder, RowV2Slice, type RowV2Value } from "../src/row-v2.js";
import { RowV2BatchDecoder } from "../src/row-v2-decoder.js";
import { lastLayoutHi, packedToLayoutLo, roundDurationNanos } from "../src/row-v2-values.js";
import { actual, type Table, TYPE_CASES, tableArb } from "./row-v2-fixtures.js";

function encodeTable(t: Table): Uint8Array[] {
  const enc = new RowV2Encoder();
  return t.rows.map((row) => {
    const ids: number[] = [];
    const fts: FieldType[] = [];
    const values: RowV2Value[] = [];
    row.forEach((v, i) => {
      if (v === undefined) return;
      ids.push(t.ids[i]);
      fts.push(t.types[i].ft);
      values.push(v);
    });
    return enc.encode(ids, fts, values);
  });
}

function decodeAll(t: Table, rows: Uint8Array[], pick: number[]) {
  const dec = new RowV2BatchDecoder(pick.map((i) => ({ id: t.ids[i], ft: t.types[i].ft })));
  for (const r of rows) dec.appendRow(r);
  return dec.finish();
}

function expectOnlyCodecErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof CodecError) || !isCoprError(e)) throw e;
  }
}

describe("row v2 round trips", () => {
  for (const [name, maxId] of [
    ["small rows", 255],
    ["big rows", 70_000],
  ] as const) {
    it(`encode → batch decode, every type, ${name}`, () => {
      fc.assert(
        fc.property(tableArb(maxId), (t) => {
          const rows = encodeTable(t);
          const all = t.ids.map((_, i) => i);
          const cols = decodeAll(t, rows, all);
          t.rows.forEach((row, r) => {
            row.forEach((v, i) => {
              const want = v === undefined || v === null ? null : t.types[i].expected(v);
              expect(actual(cols[i], r), `${t.types[i].name} row ${r}`).toEqual(want);
            });
          });
          // The single-row reader agrees with the batch decoder.
          rows.forEach((bytes, r) => {
            const s = RowV2Slice.fromBytes(bytes);
            t.ids.forEach((id, i) => {
              const got = s.read(id, t.types[i].ft);
              const v = t.rows[r][i];
              if (v === undefined) expect(got).toBeUndefined();
              else if (v === null) expect(got).toBeNull();
              else expect(got).not.toBeNull();
            });
          });
        }),
        { numRuns: 300 },
      );
    });
  }

  it("a projection equals the same columns of the full decode", () => {
    fc.assert(
      fc.property(
        tableArb(400, 12).chain((t) =>
          fc.tuple(
            fc.constant(t),
            fc.subarray(t.ids.map((_, i) => i)).chain((s) => fc.shuffledSubarray(s)),
          ),
        ),
        ([t, pick]) => {
          const rows = encodeTable(t);
          const full = decodeAll(
            t,
            rows,
            t.ids.map((_, i) => i),
          );
          const part = decodeAll(t, rows, pick);
          pick.forEach((ci, k) => {
            for (let r = 0; r < rows.length; r++) expect(actual(part[k], r)).toEqual(actual(full[ci], r));
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the big form appears exactly when an id exceeds 255 or the values exceed 65535 bytes", () => {
    fc.assert(
      fc.property(tableArb(300, 6, 2), (t) => {
        const rows = encodeTable(t);
        t.rows.forEach((row, r) => {
          const present = row.map((v, i) => (v === undefined ? -1 : t.ids[i])).filter((id) => id >= 0);
          expect(rows[r][1] & 1).toBe(present.some((id) => id > 255) ? 1 : 0);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe("row v2 fast paths agree with @copr/datatype", () => {
  it("packed DATE/DATETIME → layout words equals Time.fromPackedWords", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff_ffff }),
        fc.integer({ min: 0, max: 0xffff_ffff }),
        fc.constantFrom(TimeType.Date, TimeType.DateTime),
        fc.integer({ min: 0, max: 6 }),
        (lo, hi, type, fsp) => {
          fc.pre(lo !== 0 || hi !== 0);
          const want = Time.fromPackedWords(undefined, lo, hi, type, fsp);
          expect([packedToLayoutLo(lo, hi, type, fsp), lastLayoutHi()]).toEqual([
            want.lowWord(),
            want.highWord(),
          ]);
        },
      ),
    );
  });

  it("duration rounding equals Duration.fromNanos", async () => {
    const { Duration } = await import("@copr/datatype");
    fc.assert(
      fc.property(fc.integer({ min: -4e15, max: 4e15 }), fc.integer({ min: 0, max: 6 }), (n, fsp) => {
        let want: number;
        try {
          want = Duration.fromNanos(n, fsp).nanos;
        } catch {
          want = Number.NaN;
        }
        expect(roundDurationNanos(n, fsp)).toBe(want);
      }),
    );
  });
});

describe("row v2 fuzzing", () => {
  const schema = TYPE_CASES.map((t, i) => ({ id: i + 1, ft: t.ft }));
  const bigSchema = TYPE_CASES.map((t, i) => ({ id: i * 40 + 1, ft: t.ft }));

  function decodeBoth(bytes: Uint8Array): void {
    for (const s of [schema, bigSchema]) {
      for (const checkHeader of [true, false]) {
        expectOnlyCodecErrors(() => new RowV2BatchDecoder(s, { checkHeader }).appendRow(bytes, 7));
      }
      expectOnlyCodecErrors(() => {
        const row = RowV2Slice.fromBytes(bytes);
        for (const c of s) expectOnlyCodecErrors(() => row.read(c.id, c.ft));
      });
    }
  }

  it("random bytes", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.uint8Array({ maxLength: 64 }).map((b) => Uint8Array.of(128, ...b)),
          fc
            .tuple(fc.integer({ min: 0, max: 3 }), fc.uint8Array({ maxLength: 80 }))
            .map(([f, b]) => Uint8Array.of(128, f, b.length % 7, 0, b.length % 3, 0, ...b)),
        ),
        decodeBoth,
      ),
      { numRuns: 3000 },
    );
  });

  it("truncated and bit-flipped valid rows", () => {
    fc.assert(
      fc.property(
        tableArb(300, 10, 1),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (t, cut, at, bit) => {
          const ids = t.ids;
          const row = encodeTable(t)[0];
          const s = ids.map((id, i) => ({ id, ft: t.types[i].ft }));
          const truncated = row.subarray(0, cut % (row.length + 1));
          const flipped = row.slice();
          flipped[at % row.length] ^= 1 << bit;
          for (const bytes of [truncated, flipped]) {
            decodeBoth(bytes);
            expectOnlyCodecErrors(() => new RowV2BatchDecoder(s).appendRow(bytes));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("a truncated row is always an error", () => {
    fc.assert(
      fc.property(tableArb(300, 8, 1), fc.nat(), (t, cut) => {
        const row = encodeTable(t)[0];
        const n = cut % row.length;
        fc.pre(n > 0 && !(n === 1 && row[0] === 0));
        const s = t.ids.map((id, i) => ({ id, ft: t.types[i].ft }));
        const bytes = row.subarray(0, n);
        expect(() => RowV2Slice.fromBytes(bytes)).toThrow(CodecError);
        // The batch decoder checks what it reads; cutting into the value area is always caught.
        expect(() => new RowV2Batch(s, bytes)).toThrow(CodecError);
      }),
      { numRuns: 500 },
    );
  });
});

/** Decodes one row with a fresh batch decoder (a constructor, so `toThrow` can call it). */
class RowV2Batch {
  constructor(s: { id: number; ft: FieldType }[], bytes: Uint8Array) {
    new RowV2BatchDecoder(s).appendRow(bytes);
  }
}
