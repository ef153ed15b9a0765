// End-to-end TPC-H bench of a copr node: `copr server` in a child process on LMDB, split into
// regions of REGION_ROWS handles; `lineitem` (bench/lineitem.ts) loaded through Prewrite/Commit
// over gRPC; then COUNT(*), Q6 and Q1 (bench/tpch.ts) sent as one Coprocessor DAG request per
// region, CONCURRENCY at a time, Chunk-encoded answers merged in the client and checked against
// exact answers (OK/MISMATCH). Prints load rows/s; per query rows/s (table rows / wall time),
// p50/p99 request latency, peak RSS of server and client, and where the server's time goes
// (execution summaries, the COUNT(*) probe for storage iteration + MVCC, metrics, client latency).
//
//   COPR_E2E_ROWS (default 1,000,000); COPR_E2E_BIG=1 also runs 6,000,000 rows.
//   COPR_E2E_REGION_ROWS (100,000), COPR_E2E_CONCURRENCY (one per core,
//   as the read pool), COPR_E2E_RUNS (3, after 1 warm-up),
//   COPR_E2E_TXN_ROWS (rows per load transaction, 10,000), COPR_E2E_LOAD_CONCURRENCY (2).
import os from "node:os";
import { encodeRecordKey, tableIntHandleRange } from "@copr/codec";
import { type coprocessor, decodeMessage, encodeMessage, i64, type kvrpcpb, tipb, u64 } from "@copr/proto";
import { createTikvClient, type TikvClient } from "@copr/proto/grpc";
import { type LineitemValues, type Q1Group, q1Expected, q6Expected } from "@copr/tpch";
import * as grpc from "@grpc/grpc-js";
import { afterAll, bench, describe } from "vitest";
import { type RegionInfo, TxnClient } from "../src/txn-client.js";
import { LINEITEM_TABLE_ID, LineitemBatches } from "./lineitem.js";
import { type BenchNode, memoryOf, resetPeak, scrapeMetrics, startNode } from "./node.js";
import {
  type BenchQuery,
  checkCount,
  checkQ1,
  checkQ6,
  countQuery,
  executorNs,
  q1Query,
  q6Query,
} from "./tpch.js";

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, not ${raw}`);
  return v;
}

const ROWS = envInt("COPR_E2E_ROWS", 1_000_000);
const SIZES = process.env.COPR_E2E_BIG === "1" && ROWS !== 6_000_000 ? [ROWS, 6_000_000] : [ROWS];
const REGION_ROWS = envInt("COPR_E2E_REGION_ROWS", 100_000);
// One request in flight per read pool worker by default: more only queue inside the workers.
const CONCURRENCY = envInt("COPR_E2E_CONCURRENCY", os.availableParallelism());
const RUNS = envInt("COPR_E2E_RUNS", 3);
const TXN_ROWS = envInt("COPR_E2E_TXN_ROWS", 10_000);
const LOAD_CONCURRENCY = envInt("COPR_E2E_LOAD_CONCURRENCY", 2);

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** A loaded node: the server child, a client, the regions and the exact answers. */
interface Loaded {
  rows: number;
  node: BenchNode;
  client: TxnClient;
  tikv: TikvClient;
  regions: RegionInfo[];
  values: LineitemValues;
  q6: bigint;
  q1: Map<string, Q1Group>;
  /** COUNT(*)'s scan time per run (ns summed over regions): storage iteration + MVCC + key decode. */
  countScanNs: number;
}

let loaded: Loaded | null = null;

async function dropLoaded(): Promise<void> {
  if (loaded === null) return;
  const l = loaded;
  loaded = null;
  l.client.close();
  l.tikv.close();
  await l.node.close();
}

/** Record keys at every REGION_ROWS handles: regions of REGION_ROWS rows each. */
function splitKeysFor(rows: number): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (let h = REGION_ROWS + 1; h <= rows; h += REGION_ROWS) keys.push(encodeRecordKey(LINEITEM_TABLE_ID, h));
  return keys;
}

/** Starts a node and loads `rows` lineitems through Prewrite/Commit, LOAD_CONCURRENCY transactions at a time. */
async function load(rows: number): Promise<Loaded> {
  await dropLoaded();
  const node = await startNode(splitKeysFor(rows));
  const client = new TxnClient(node.address, { batchKeys: 4096 });
  const tikv = createTikvClient(node.address, undefined, {
    "grpc.max_receive_message_length": 256 * 1024 * 1024,
  });
  try {
    await client.refreshRegions();
    resetPeak(node.pid);
    resetPeak("self");
    const gen = new LineitemBatches(rows);
    let genMs = 0;
    let inFlight = 0;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    const t0 = performance.now();
    while (gen.generated < rows && failure === null) {
      const g0 = performance.now();
      const batch = gen.nextBatch(TXN_ROWS);
      genMs += performance.now() - g0;
      inFlight++;
      client.writeRows(batch).then(
        () => {
          inFlight--;
          wake?.();
        },
        (e: unknown) => {
          inFlight--;
          failure ??= e;
          wake?.();
        },
      );
      while (inFlight >= LOAD_CONCURRENCY) await new Promise<void>((r) => (wake = r));
    }
    while (inFlight > 0) await new Promise<void>((r) => (wake = r));
    if (failure !== null) throw failure;
    const ms = performance.now() - t0;
    const server = memoryOf(node.pid);
    const self = memoryOf("self");
    console.log(
      `load ${fmt(rows)} rows in ${(ms / 1000).toFixed(1)} s: ${fmt((rows / ms) * 1000)} rows/s ` +
        `(${TXN_ROWS} rows per txn, ${LOAD_CONCURRENCY} txns in flight, ${splitKeysFor(rows).length + 1} regions; ` +
        `generate + encode ${(genMs / 1000).toFixed(1)} s of it, ${(gen.valueBytes / rows).toFixed(1)} value bytes/row); ` +
        `peak RSS server ${mb(server.peak)}, client ${mb(self.peak)}`,
    );
    const regions = client.regions.all();
    const q6 = q6Expected(gen.values);
    const q1 = q1Expected(gen.values);
    loaded = { rows, node, client, tikv, regions, values: gen.values, q6: q6.revenue, q1, countScanNs: 0 };
    return loaded;
  } catch (e) {
    client.close();
    tikv.close();
    await node.close();
    throw e;
  }
}

function compare(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/** The table's range cut to each region: one request per region holding table rows. */
function regionRanges(
  regions: readonly RegionInfo[],
): { region: RegionInfo; range: { start: Uint8Array; end: Uint8Array } }[] {
  const table = tableIntHandleRange(LINEITEM_TABLE_ID);
  const out = [];
  for (const region of regions) {
    const start = compare(region.startKey, table.start) > 0 ? region.startKey : table.start;
    const end = region.endKey.length > 0 && compare(region.endKey, table.end) < 0 ? region.endKey : table.end;
    if (compare(start, end) < 0) out.push({ region, range: { start, end } });
  }
  return out;
}

function contextOf(r: RegionInfo): kvrpcpb.Context.$Properties {
  return {
    regionId: u64(r.id),
    regionEpoch: { confVer: u64(r.confVer), version: u64(r.version) },
    ...(r.peer ? { peer: { id: u64(r.peer.id), storeId: u64(r.peer.storeId) } } : {}),
  };
}

/** One Coprocessor call; rejects on a gRPC failure or an error in the response. */
function coprocessorCall(
  tikv: TikvClient,
  req: coprocessor.Request.$Properties,
): Promise<coprocessor.Response> {
  return new Promise((resolve, reject) => {
    tikv.Coprocessor(req, new grpc.Metadata(), { deadline: Date.now() + 120_000 }, (err, res) => {
      if (err || res === undefined) return reject(err ?? new Error("no response"));
      if (res.regionError) return reject(new Error(`region error: ${JSON.stringify(res.regionError)}`));
      if (res.otherError) return reject(new Error(`other error: ${res.otherError}`));
      if (res.locked) return reject(new Error("a key is locked"));
      resolve(res);
    });
  });
}

/** One run of a query: every region's request, CONCURRENCY at a time. */
async function runOnce(l: Loaded, q: BenchQuery) {
  const startTs = l.client.tso.next();
  const data = encodeMessage(tipb.DAGRequest, { startTsFallback: u64(startTs), ...q.dag }).slice();
  const tasks = regionRanges(l.regions);
  const responses: tipb.SelectResponse[] = new Array(tasks.length);
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      const { region, range } = tasks[i]!;
      const s = performance.now();
      const res = await coprocessorCall(l.tikv, {
        context: contextOf(region),
        tp: i64(103),
        data,
        startTs: u64(startTs),
        ranges: [range],
      });
      latencies.push(performance.now() - s);
      responses[i] = decodeMessage(tipb.SelectResponse, res.data ?? new Uint8Array(0));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tasks.length) }, worker));
  return { ms: performance.now() - t0, responses, latencies };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const COP_SUM = 'tikv_coprocessor_request_duration_seconds_sum{req="select"}';
const GRPC_SUM = 'tikv_grpc_msg_duration_seconds_sum{type="coprocessor"}';

/** Runs `q` once to warm up, then RUNS times, checks every answer and prints the figures. */
async function runQuery(rows: number, q: BenchQuery, check: (l: Loaded, r: tipb.SelectResponse[]) => string) {
  const l = loaded?.rows === rows ? loaded : await load(rows);
  await runOnce(l, q);
  resetPeak(l.node.pid);
  resetPeak("self");
  const before = await scrapeMetrics(l.node.statusAddress);
  const walls: number[] = [];
  const latencies: number[] = [];
  const execNs: number[] = [];
  const verdicts = new Set<string>();
  for (let i = 0; i < RUNS; i++) {
    const r = await runOnce(l, q);
    walls.push(r.ms);
    latencies.push(...r.latencies);
    executorNs(r.responses).forEach((ns, j) => {
      execNs[j] = (execNs[j] ?? 0) + ns / RUNS;
    });
    verdicts.add(check(l, r.responses));
  }
  const after = await scrapeMetrics(l.node.statusAddress);
  const server = memoryOf(l.node.pid);
  const self = memoryOf("self");
  walls.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)]!;
  const verdict = verdicts.size === 1 ? [...verdicts][0]! : [...verdicts].join("; ");
  console.log(
    `${q.name} ${fmt(rows)} rows, ${regionRanges(l.regions).length} regions, concurrency ${CONCURRENCY}: ` +
      `${fmt((rows / median) * 1000)} rows/s (median of ${RUNS}: ${median.toFixed(0)} ms; runs ${walls.map((w) => w.toFixed(0)).join("/")} ms), ` +
      `latency p50 ${percentile(latencies, 50).toFixed(0)} ms p99 ${percentile(latencies, 99).toFixed(0)} ms, ` +
      `peak RSS server ${mb(server.peak)} client ${mb(self.peak)}, ${verdict}`,
  );

  // Where the time goes, per run, summed over the regions' requests (ms of thread time).
  const perRun = (k: string) => (((after.get(k) ?? 0) - (before.get(k) ?? 0)) * 1000) / RUNS;
  const copMs = perRun(COP_SUM);
  const grpcMs = perRun(GRPC_SUM);
  const clientMs = latencies.reduce((a, b) => a + b, 0) / RUNS;
  const ms = execNs.map((ns) => ns / 1e6);
  const top = ms[ms.length - 1] ?? 0;
  if (q.name === "COUNT(*)") l.countScanNs = (ms[0] ?? 0) * 1e6;
  const parts: [string, number][] = [];
  if (q.name === "COUNT(*)") {
    parts.push(["TableFullScan of the handle only: storage iteration, MVCC, key decode", ms[0]!]);
    parts.push(["COUNT", top - ms[0]!]);
  } else {
    const probe = (l.countScanNs / 1e6).toFixed(0);
    parts.push([
      `TableFullScan: storage iteration, MVCC, key + row decode (COUNT(*)'s handle-only scan: ${probe} ms)`,
      ms[0]!,
    ]);
    parts.push(["Selection eval", ms[1]! - ms[0]!]);
    parts.push([`${q.executorNames[2]} eval`, ms[2]! - ms[1]!]);
  }
  parts.push(["response encode, snapshot, worker hop, slot wait (copr duration − executors)", copMs - top]);
  parts.push(["gRPC in the server (grpc duration − copr duration)", grpcMs - copMs]);
  parts.push([
    "transport, client decode, client queueing (client latency − grpc duration)",
    clientMs - grpcMs,
  ]);
  const total = clientMs;
  console.log(
    `  breakdown per run, ms summed over requests (client latency total ${clientMs.toFixed(0)} ms):\n` +
      parts
        .map(
          ([what, v]) =>
            `    ${v.toFixed(0).padStart(7)} ms ${((v / total) * 100).toFixed(1).padStart(5)}%  ${what}`,
        )
        .join("\n"),
  );
}

const opts = { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 };

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${mb(os.totalmem())} RAM, Node ${process.version}, ` +
    `read pool ${os.availableParallelism()} workers`,
);

for (const rows of SIZES) {
  describe(`copr node end to end, lineitem ${rows} rows`, () => {
    bench(`load ${rows}`, async () => void (await load(rows)), opts);
    // async functions: tinybench calls a plain function once more to find out whether it is async.
    bench(
      `COUNT(*) ${rows}`,
      async () => runQuery(rows, countQuery(), (l, r) => checkCount(r, l.rows)),
      opts,
    );
    bench(`Q6 ${rows}`, async () => runQuery(rows, q6Query(), (l, r) => checkQ6(r, l.q6)), opts);
    bench(`Q1 ${rows}`, async () => runQuery(rows, q1Query(), (l, r) => checkQ1(r, l.q1)), opts);
  });
}

afterAll(async () => {
  await dropLoaded();
});
