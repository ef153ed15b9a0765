// Shared pieces of the server tests: a promisified client, contexts, rows written through
// Prewrite/Commit, DAG table scans and their decoded rows.
import { decodeChunk, encodeRecordKey, encodeRowV2, tableIntHandleRange } from "@copr/codec";
import { type Column, type FieldType, FieldTypeFlag, FieldTypeTp, fieldType } from "@copr/datatype";
import { coprocessor, decodeMessage, encodeMessage, i64, type kvrpcpb, tipb, u64 } from "@copr/proto";
import { createTikvClient, type TikvClient } from "@copr/proto/grpc";

export const TABLE = 42;
export const ID = fieldType(FieldTypeTp.LongLong, { flag: FieldTypeFlag.PriKey | FieldTypeFlag.NotNull });
export const A = fieldType(FieldTypeTp.LongLong);
export const C = fieldType(FieldTypeTp.VarString, { collate: 46, charset: "utf8mb4" });
export const SCHEMA: FieldType[] = [ID, A, C];

export interface Row {
  id: number;
  a: number | null;
  c: string | null;
}

export const rowKey = (id: number) => encodeRecordKey(TABLE, id);
export const rowValue = (r: Row) => encodeRowV2([2, 3], [A, C], [r.a, r.c]);

/** A client whose unary calls return promises. */
export function client(address: string) {
  const c = createTikvClient(address);
  // biome-ignore lint/suspicious/noExplicitAny: calls any unary method by name
  const call = <T = any>(method: string, req: object): Promise<T> =>
    new Promise((resolve, reject) => {
      type Unary = (req: object, cb: (err: Error | null, res: T) => void) => unknown;
      const f = (c as unknown as Record<string, Unary>)[method]!.bind(c);
      f(req, (err, res) => (err ? reject(err) : resolve(res)));
    });
  return { raw: c as TikvClient, call, close: () => c.close() };
}

export const ctx = (regionId = 1, version = 1): kvrpcpb.Context.$Properties => ({
  regionId: u64(regionId),
  regionEpoch: { confVer: u64(1), version: u64(version) },
  peer: { id: u64(regionId), storeId: u64(1) },
});

export type Client = ReturnType<typeof client>;

/** Writes rows in one transaction (primary = first key) through KvPrewrite and KvCommit. */
export async function writeRows(
  cl: Client,
  rows: Row[],
  startTs: number,
  commitTs: number,
  context = ctx(),
): Promise<void> {
  const mutations = rows.map((r) => ({ op: 0, key: rowKey(r.id), value: rowValue(r) }));
  const pre = await cl.call("KvPrewrite", {
    context,
    mutations,
    primaryLock: mutations[0]!.key,
    startVersion: u64(startTs),
    lockTtl: u64(3000),
  });
  if (pre.regionError || pre.errors.length > 0) throw new Error(`prewrite failed: ${JSON.stringify(pre)}`);
  const com = await cl.call("KvCommit", {
    context,
    keys: mutations.map((m) => m.key),
    startVersion: u64(startTs),
    commitVersion: u64(commitTs),
  });
  if (com.regionError || com.error) throw new Error(`commit failed: ${JSON.stringify(com)}`);
}

const columnInfos: tipb.ColumnInfo.$Properties[] = SCHEMA.map((ft, i) => ({
  columnId: i64(i + 1),
  tp: ft.tp,
  flag: ft.flag ?? 0,
  columnLen: ft.flen ?? -1,
  decimal: ft.decimal ?? -1,
  collation: ft.collate ?? 63,
  pkHandle: i === 0,
}));

/** A DAG request scanning the table (every column), optionally with a Limit. */
export function scanDag(
  opts: { desc?: boolean; limit?: number | bigint; startTs?: number } = {},
): Uint8Array {
  const executors: tipb.Executor.$Properties[] = [
    {
      tp: tipb.ExecType.TypeTableScan,
      tblScan: { tableId: i64(TABLE), columns: columnInfos, desc: opts.desc === true },
    },
  ];
  if (opts.limit !== undefined)
    executors.push({ tp: tipb.ExecType.TypeLimit, limit: { limit: u64(opts.limit) } });
  return encodeMessage(tipb.DAGRequest, {
    executors,
    outputOffsets: [0, 1, 2],
    encodeType: tipb.EncodeType.TypeChunk,
    timeZoneOffset: i64(0),
    flags: u64(0),
    ...(opts.startTs !== undefined ? { startTsFallback: u64(opts.startTs) } : {}),
  });
}

export function copRequest(
  data: Uint8Array,
  startTs: number,
  extra: Partial<coprocessor.Request.$Properties> = {},
): coprocessor.Request.$Properties {
  return {
    context: ctx(),
    tp: i64(103),
    data,
    startTs: u64(startTs),
    ranges: [tableIntHandleRange(TABLE)],
    ...extra,
  };
}

/** Rows of a DAG response's SelectResponse as [id, a, c]. */
export function rowsOf(data: Uint8Array): unknown[][] {
  const sel = decodeMessage(tipb.SelectResponse, data);
  if (sel.error) throw new Error(`select error ${sel.error.code}: ${sel.error.msg}`);
  return sel.chunks.flatMap((c) => {
    const cols: Column[] = decodeChunk(c.rowsData!, SCHEMA);
    return Array.from({ length: cols[0]!.length }, (_, i) =>
      cols.map((col) => {
        const v = (col as { get(i: number): unknown }).get(i);
        return v instanceof Uint8Array ? Buffer.from(v).toString() : v;
      }),
    );
  });
}

export const asRow = (r: Row) => [BigInt(r.id), r.a === null ? null : BigInt(r.a), r.c];

/** Reads every message of a CoprocessorStream call. */
export function streamAll(cl: Client, req: coprocessor.Request.$Properties): Promise<coprocessor.Response[]> {
  return new Promise((resolve, reject) => {
    const out: coprocessor.Response[] = [];
    const s = cl.raw.CoprocessorStream(req);
    s.on("data", (r: coprocessor.Response) => out.push(r));
    s.on("end", () => resolve(out));
    s.on("error", reject);
  });
}

export { coprocessor };
