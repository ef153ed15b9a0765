// startServer: the tikvpb.Tikv gRPC service on @grpc/grpc-js over copr's storage, the HTTP status
// port with /metrics, logs, and an orderly close (TiKV src/server/server.rs, service/kv.rs,
// status_server).
import { mkdirSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { coprocessor, decodeMessage, encodeMessage, kvrpcpb } from "@copr/proto";
import { addTikvService, type TikvHandlers } from "@copr/proto/grpc";
import { type Engine, MemoryEngine, Mvcc, openLmdbEngine } from "@copr/storage";
import * as grpc from "@grpc/grpc-js";
import { type Logger, pino } from "pino";
import { applyConfig, defaultConfig, type ServerConfig } from "./config.js";
import { runCopRequest } from "./cop-handler.js";
import { type CopRunner, CoprocessorEndpoint } from "./endpoint.js";
import { KvService } from "./kv.js";
import { ServerMetrics } from "./metrics.js";
import { ReadPool } from "./read-pool.js";
import { RegionError, RegionManager } from "./regions.js";
import { runScanTask, type ScanTask } from "./scan.js";

/** A running server. */
export interface CoprServer {
  /** The gRPC address actually bound, `host:port`. */
  readonly address: string;
  /** The HTTP status address actually bound, `host:port` (serves `/metrics`). */
  readonly statusAddress: string;
  /** Stops accepting calls, lets in-flight calls finish, then stops the read pool and closes the store. Idempotent. */
  close(): Promise<void>;
}

/** Internals a test or an embedding program may look at. */
export interface CoprServerInternals extends CoprServer {
  readonly config: ServerConfig;
  readonly regions: RegionManager;
  readonly metrics: ServerMetrics;
  /** The read pool, or null when requests run inline. */
  readonly readPool: ReadPool | null;
  readonly endpoint: CoprocessorEndpoint;
}

function splitHostPort(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(":");
  return { host: addr.slice(0, i), port: Number(addr.slice(i + 1)) };
}

/**
 * Starts a server: opens the store (LMDB under `dataDir`, or memory), the read pool, the gRPC
 * service on `addr` and the status server on `statusAddr`. `config` may be partial; missing
 * fields take {@link defaultConfig}'s values and every field is validated as {@link loadConfig} does.
 */
export async function startServer(config: Partial<ServerConfig> = {}): Promise<CoprServerInternals> {
  const cfg = applyConfig(defaultConfig(), config as Record<string, unknown>, "startServer config");
  const log: Logger = pino({ level: cfg.logLevel, name: "copr-server" });
  const regions = new RegionManager(
    cfg.splitKeys.map((h) => Buffer.from(h, "hex")),
    // Versions start from the clock so that caches from before a restart never match.
    Date.now() * 1000,
  );
  let engine: Engine;
  if (cfg.dataDir !== null) {
    mkdirSync(cfg.dataDir, { recursive: true });
    engine = openLmdbEngine({ path: cfg.dataDir, ...(cfg.mapSize !== null ? { mapSize: cfg.mapSize } : {}) });
  } else {
    engine = new MemoryEngine();
  }
  const mvcc = new Mvcc(engine);
  const metrics = new ServerMetrics();

  let readPool: ReadPool | null = null;
  if (cfg.dataDir !== null && cfg.readPoolSize > 0) {
    readPool = new ReadPool(cfg.readPoolSize, { dataDir: cfg.dataDir, mapSize: cfg.mapSize }, (err) => {
      metrics.readPoolRestarts.inc();
      log.error({ err }, "read pool worker died; replaced");
    });
    try {
      await readPool.ready();
    } catch (e) {
      await readPool.close();
      await engine.close();
      throw e;
    }
  }
  const pool = readPool;

  const runner: CopRunner =
    pool === null
      ? async (req, opts) => runCopRequest(req, mvcc, opts)
      : async (req, opts) => {
          const r = await pool.run({
            kind: "cop",
            req: encodeMessage(coprocessor.Request, req).slice(),
            dataVersion: opts.dataVersion,
            deadline: opts.deadline,
          });
          return {
            response: decodeMessage(coprocessor.Response, r.bytes),
            scannedKeys: r.scannedKeys,
            tag: r.tag,
            errorTag: r.errorTag,
          };
        };
  const runScan = async (t: ScanTask): Promise<kvrpcpb.ScanResponse.$Properties> => {
    if (pool === null) return runScanTask(t, mvcc);
    try {
      const r = await pool.run({ kind: "scan", scan: t });
      return decodeMessage(kvrpcpb.ScanResponse, r.bytes);
    } catch (e) {
      const error = { abort: (e as Error).message };
      return { error, pairs: [{ error }] };
    }
  };

  const endpoint = new CoprocessorEndpoint(
    regions,
    runner,
    {
      maxConcurrency: cfg.coprMaxConcurrency,
      queueLength: cfg.coprQueueLength,
      maxHandleDurationMs: cfg.coprMaxHandleDurationMs,
      streamBatchRowLimit: cfg.streamBatchRowLimit,
    },
    metrics,
    log,
  );
  const kv = new KvService(mvcc, regions);

  // A unary KV call: region errors answer in `region_error`; anything unexpected is INTERNAL.
  const unary =
    <Req, Res>(type: string, fn: (req: Req) => Res | Promise<Res>): grpc.handleUnaryCall<Req, Res> =>
    (call, callback) => {
      const end = metrics.grpcDuration.startTimer({ type });
      Promise.resolve()
        .then(() => fn(call.request))
        .then(
          (res) => callback(null, res),
          (e: unknown) => {
            if (e instanceof RegionError) {
              callback(null, { regionError: e.error } as Res);
              return;
            }
            metrics.grpcFail.inc({ type });
            log.error({ err: e, type }, "request failed");
            callback({ code: grpc.status.INTERNAL, details: e instanceof Error ? e.message : String(e) });
          },
        )
        .finally(() => end());
    };

  const handlers: TikvHandlers = {
    KvGet: unary("kv_get", (r) => kv.get(r)),
    KvScan: unary("kv_scan", (r) => runScan(kv.scanTask(r))),
    KvPrewrite: unary("kv_prewrite", (r) => kv.prewrite(r)),
    KvCommit: unary("kv_commit", (r) => kv.commit(r)),
    KvBatchRollback: unary("kv_batch_rollback", (r) => kv.batchRollback(r)),
    KvCleanup: unary("kv_cleanup", (r) => kv.cleanup(r)),
    KvBatchGet: unary("kv_batch_get", (r) => kv.batchGet(r)),
    KvCheckTxnStatus: unary("kv_check_txn_status", (r) => kv.checkTxnStatus(r)),
    KvResolveLock: unary("kv_resolve_lock", (r) => kv.resolveLock(r)),
    KvScanLock: unary("kv_scan_lock", (r) => kv.scanLock(r)),
    RawGet: unary("raw_get", (r) => kv.rawGet(r)),
    RawBatchGet: unary("raw_batch_get", (r) => kv.rawBatchGet(r)),
    RawPut: unary("raw_put", (r) => kv.rawPut(r)),
    RawBatchPut: unary("raw_batch_put", (r) => kv.rawBatchPut(r)),
    RawDelete: unary("raw_delete", (r) => kv.rawDelete(r)),
    RawBatchDelete: unary("raw_batch_delete", (r) => kv.rawBatchDelete(r)),
    RawScan: unary("raw_scan", (r) => kv.rawScan(r)),
    Coprocessor: unary("coprocessor", (r) => endpoint.handle(r)),
    CoprocessorStream: (call) => {
      const end = metrics.grpcDuration.startTimer({ type: "coprocessor_stream" });
      let cancelled = false;
      call.on("cancelled", () => {
        cancelled = true;
      });
      (async () => {
        for await (const resp of endpoint.stream(call.request, () => cancelled)) {
          if (cancelled) break;
          // Respect flow control: wait for the client to drain before the next page.
          if (!call.write(resp)) await new Promise<void>((r) => call.once("drain", () => r()));
        }
      })()
        .catch((e: unknown) => {
          metrics.grpcFail.inc({ type: "coprocessor_stream" });
          log.error({ err: e }, "coprocessor stream failed");
        })
        .finally(() => {
          end();
          if (!cancelled) call.end();
        });
    },
  };

  const server = new grpc.Server({
    "grpc.max_receive_message_length": 64 * 1024 * 1024,
    "grpc.max_send_message_length": -1,
  });
  addTikvService(server, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(cfg.addr, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  ).catch(async (e) => {
    await pool?.close();
    await engine.close();
    throw e;
  });
  const address = `${splitHostPort(cfg.addr).host}:${port}`;

  const http: HttpServer = createHttpServer((req, res) => {
    if (req.method === "GET" && (req.url === "/metrics" || req.url?.startsWith("/metrics?"))) {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": metrics.registry.contentType });
          res.end(text);
        },
        (e: unknown) => {
          res.writeHead(500);
          res.end(String(e));
        },
      );
      return;
    }
    if (req.method === "GET" && req.url === "/status") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
      return;
    }
    res.writeHead(404);
    res.end("not found\n");
  });
  const statusHostPort = splitHostPort(cfg.statusAddr);
  try {
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(statusHostPort.port, statusHostPort.host.replace(/^\[|\]$/g, ""), () => resolve());
    });
  } catch (e) {
    server.forceShutdown();
    await pool?.close();
    await engine.close();
    throw e;
  }
  const statusAddress = `${statusHostPort.host}:${(http.address() as AddressInfo).port}`;
  log.info(
    { address, statusAddress, dataDir: cfg.dataDir, readPoolSize: pool?.size ?? 0 },
    "copr server started",
  );

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Let in-flight calls finish; force after a bound so close() always returns.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 10_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      await pool?.close();
      await engine.close();
      log.info("copr server closed");
    })();
    return closing;
  };

  return { address, statusAddress, close, config: cfg, regions, metrics, readPool: pool, endpoint };
}
