// `copr load`: reads a CSV file, converts each field with its column's MySQL rules, encodes rows
// and index entries as TiDB writes them, and commits them in batches through Prewrite/Commit.
import { createReadStream, statSync } from "node:fs";
import { TimeZone } from "@copr/datatype";
import { type ColumnValue, fieldReader } from "./convert.js";
import { CsvParser } from "./csv.js";
import { TableEncoder } from "./encode.js";
import { ConversionError, DataError, TxnError } from "./errors.js";
import type { TableSchema } from "./schema.js";
import { type Mutation, TxnClient, type TxnClientOptions } from "./txn-client.js";

/** Options of {@link loadCsv}. */
export interface LoadOptions {
  /** The node's gRPC address, or a client to use (not closed afterwards). */
  readonly address?: string;
  readonly client?: TxnClient;
  readonly clientOptions?: TxnClientOptions;
  readonly tableId: number;
  readonly schema: TableSchema;
  /** The CSV file (UTF-8). */
  readonly csvPath: string;
  /** The first record names the columns (default false: fields follow the schema's column order). */
  readonly header?: boolean;
  readonly delimiter?: string;
  /** Unquoted text meaning NULL (default `\N`). */
  readonly nullText?: string;
  /** Unquoted empty fields are NULL in string columns too. */
  readonly emptyIsNull?: boolean;
  /** Rows per transaction (default 1000). */
  readonly batchRows?: number;
  /** Session time zone for TIMESTAMP values (default UTC). */
  readonly timeZone?: TimeZone;
  /** First `_tidb_rowid` for tables without a clustered key (default 1). */
  readonly rowidStart?: number;
  /** Called after each committed batch. */
  readonly onProgress?: (p: LoadProgress) => void;
}

/** How far a load got. */
export interface LoadProgress {
  readonly rows: number;
  readonly keys: number;
  readonly batches: number;
  /** Bytes of the file read so far, and its size. */
  readonly bytesRead: number;
  readonly totalBytes: number;
}

interface PendingRow {
  readonly line: number;
  readonly pairs: Mutation[];
}

/**
 * Loads a CSV file into table `tableId`. Every batch of rows is one transaction: a malformed row
 * stops the load with a DataError naming its line and column before anything of its batch is
 * written (earlier batches stay committed).
 */
export async function loadCsv(options: LoadOptions): Promise<LoadProgress> {
  const { schema, tableId } = options;
  const cols = schema.columns;
  const batchRows = options.batchRows ?? 1000;
  if (!Number.isSafeInteger(batchRows) || batchRows < 1)
    throw new RangeError(`batch size must be a positive integer, got ${batchRows}`);
  const timeZone = options.timeZone ?? TimeZone.utc();
  const readers = cols.map((c) =>
    fieldReader(c, {
      timeZone,
      ...(options.nullText === undefined ? {} : { nullText: options.nullText }),
      ...(options.emptyIsNull === undefined ? {} : { emptyIsNull: options.emptyIsNull }),
    }),
  );
  const encoder = new TableEncoder(tableId, schema, { timeZone });
  const totalBytes = statSync(options.csvPath).size;

  // Which field feeds which column; columns without a field take their default.
  let fieldOf: number[] | null = options.header === true ? null : cols.map((_, i) => i);
  let expectedFields = cols.length;
  const defaults: (ColumnValue | undefined)[] = cols.map(() => undefined);

  const setupHeader = (fields: readonly string[], line: number) => {
    const map = cols.map(() => -1);
    fields.forEach((name, i) => {
      const off = cols.findIndex((c) => c.name.toLowerCase() === name.trim().toLowerCase());
      if (off < 0)
        throw new DataError(line, null, `the header names '${name}', which is not a column of the schema`);
      if (map[off]! >= 0) throw new DataError(line, null, `the header names column '${name}' twice`);
      map[off] = i;
    });
    cols.forEach((c, off) => {
      if (map[off]! >= 0) return;
      if (schema.handle.kind !== "rowid" && c.primary)
        throw new DataError(line, c.name, "a primary-key column must be in the file");
      try {
        if (c.defaultValue === undefined) {
          if (!c.nullable) throw new ConversionError(`Field '${c.name}' doesn't have a default value`);
          defaults[off] = null;
        } else defaults[off] = c.defaultValue === null ? null : readers[off]!(c.defaultValue, true);
      } catch (e) {
        if (e instanceof ConversionError) throw new DataError(line, c.name, e.message);
        throw e;
      }
    });
    fieldOf = map;
    expectedFields = fields.length;
  };

  const ownClient = options.client === undefined;
  const client = options.client ?? new TxnClient(options.address ?? "127.0.0.1:20160", options.clientOptions);
  let rowid = options.rowidStart ?? 1;
  const values: ColumnValue[] = new Array(cols.length);
  let pending: PendingRow[] = [];
  const progress = { rows: 0, keys: 0, batches: 0, bytesRead: 0, totalBytes };

  const onRecord = (fields: readonly string[], quoted: readonly boolean[], line: number) => {
    if (fieldOf === null) {
      setupHeader(fields, line);
      return;
    }
    if (fields.length !== expectedFields)
      throw new DataError(line, null, `expected ${expectedFields} fields, found ${fields.length}`);
    for (let off = 0; off < cols.length; off++) {
      const f = fieldOf[off]!;
      if (f < 0) {
        values[off] = defaults[off]!;
        continue;
      }
      try {
        values[off] = readers[off]!(fields[f]!, quoted[f]!);
      } catch (e) {
        if (e instanceof ConversionError) throw new DataError(line, cols[off]!.name, e.message);
        throw e;
      }
    }
    let pairs: Mutation[];
    try {
      pairs = encoder.encodeRow(values, rowid++);
    } catch (e) {
      throw new DataError(line, null, (e as Error).message);
    }
    pending.push({ line, pairs });
  };

  const flush = async (rows: PendingRow[]) => {
    if (rows.length === 0) return;
    // Keys that must be new: a repeat inside the batch is a duplicate row.
    const lineOfKey = new Map<string, number>();
    const mutations: Mutation[] = [];
    for (const r of rows) {
      for (const m of r.pairs) {
        if (m.mustNotExist) {
          const k = Buffer.from(m.key).toString("hex");
          const prev = lineOfKey.get(k);
          if (prev !== undefined)
            throw new DataError(r.line, null, `duplicate entry: same primary or unique key as line ${prev}`);
          lineOfKey.set(k, r.line);
        }
        mutations.push(m);
      }
    }
    try {
      await client.writeRows(mutations);
    } catch (e) {
      const m = e instanceof TxnError ? /duplicate key ([0-9a-f]+)/.exec(e.message) : null;
      const line = m ? lineOfKey.get(m[1]!) : undefined;
      if (line !== undefined)
        throw new DataError(
          line,
          null,
          "duplicate entry: the primary or unique key already exists in the table",
        );
      throw e;
    }
    progress.rows += rows.length;
    progress.keys += mutations.length;
    progress.batches++;
    options.onProgress?.({ ...progress });
  };

  try {
    const parser = new CsvParser(
      onRecord,
      options.delimiter === undefined ? {} : { delimiter: options.delimiter },
    );
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const stream = createReadStream(options.csvPath, { highWaterMark: 256 * 1024 });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        let text: string;
        try {
          text = decoder.decode(chunk, { stream: true });
        } catch {
          throw new DataError(
            0,
            null,
            `the file is not valid UTF-8 (in the bytes ${progress.bytesRead}..${progress.bytesRead + chunk.length})`,
          );
        }
        progress.bytesRead += chunk.length;
        try {
          parser.push(text);
        } catch (e) {
          // The batches complete before the bad row are still written; the bad row's batch is not.
          if (e instanceof DataError) {
            while (pending.length >= batchRows) {
              const batch = pending.slice(0, batchRows);
              pending = pending.slice(batchRows);
              await flush(batch);
            }
          }
          throw e;
        }
        while (pending.length >= batchRows) {
          const batch = pending.slice(0, batchRows);
          pending = pending.slice(batchRows);
          await flush(batch);
        }
      }
      parser.push(decoder.decode());
      parser.end();
    } finally {
      stream.destroy();
    }
    while (pending.length > 0) {
      const batch = pending.slice(0, batchRows);
      pending = pending.slice(batchRows);
      await flush(batch);
    }
    return { ...progress };
  } finally {
    if (ownClient) client.close();
  }
}

/**
 * A progress display on a stream: a bar redrawn in place on a TTY, otherwise a plain line at most
 * every `intervalMs`.
 */
export class ProgressReporter {
  private last = 0;
  private readonly started = Date.now();
  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly intervalMs = 1000,
  ) {}

  update(p: LoadProgress, final = false): void {
    const now = Date.now();
    const tty = this.out.isTTY === true;
    if (!final && now - this.last < (tty ? 100 : this.intervalMs)) return;
    this.last = now;
    const secs = Math.max((now - this.started) / 1000, 0.001);
    const rate = Math.round(p.rows / secs);
    const frac = p.totalBytes > 0 ? Math.min(p.bytesRead / p.totalBytes, 1) : 1;
    if (tty) {
      const width = 30;
      const filled = Math.round(frac * width);
      this.out.write(
        `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${p.rows} rows  ${rate} rows/s${final ? "\n" : ""}`,
      );
    } else {
      this.out.write(`loaded ${p.rows} rows (${p.keys} keys, ${p.batches} batches), ${rate} rows/s\n`);
    }
  }
}
