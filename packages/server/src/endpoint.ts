// The coprocessor endpoint on the main thread (TiKV src/coprocessor/endpoint.rs): region and range
// checks, the cache check, the concurrency limit with its queue, deadlines, and the streaming
// form, around a runner that executes the request inline or on the read pool.
import { coprocessor, decodeMessage, TIKV_RECURSION_LIMIT, tipb, toBigInt, u64 } from "@copr/proto";
import type { Logger } from "pino";
import type { CopRunOptions, CopRunResult } from "./cop-handler.js";
import { REQ_TYPE_DAG } from "./cop-handler.js";
import { COPR_MAX_PENDING } from "./errors.js";
import type { ServerMetrics } from "./metrics.js";
import { RegionError, type RegionManager } from "./regions.js";

/** Executes a checked request: inline over the store, or on a read pool worker. */
export type CopRunner = (req: coprocessor.Request, opts: CopRunOptions) => Promise<CopRunResult>;

/** Limits of the endpoint (from {@link ServerConfig}). */
export interface EndpointConfig {
  maxConcurrency: number;
  queueLength: number;
  maxHandleDurationMs: number;
  streamBatchRowLimit: number;
}

class ServerBusy extends Error {}

/** At most `max` holders at once, `queueLength` waiting; beyond that `acquire` fails at once. */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly max: number,
    private readonly queueLength: number,
  ) {}

  get active(): number {
    return this.running;
  }
  get queued(): number {
    return this.waiting.length;
  }

  async acquire(): Promise<void> {
    if (this.running < this.max) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.queueLength) throw new ServerBusy(COPR_MAX_PENDING);
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter.
    if (next !== undefined) next();
    else this.running--;
  }
}

type Resp = coprocessor.Response.$Properties;
type Range = { start: Uint8Array; end: Uint8Array };

const busyResponse = (): Resp => ({
  regionError: { message: COPR_MAX_PENDING, serverIsBusy: { reason: COPR_MAX_PENDING } },
});

/** The coprocessor endpoint: `handle` for Coprocessor, `stream` for CoprocessorStream. */
export class CoprocessorEndpoint {
  readonly limiter: ConcurrencyLimiter;

  constructor(
    private readonly regions: RegionManager,
    private readonly runner: CopRunner,
    private readonly config: EndpointConfig,
    private readonly metrics: ServerMetrics,
    private readonly log: Logger,
  ) {
    this.limiter = new ConcurrencyLimiter(config.maxConcurrency, config.queueLength);
  }

  private deadlineOf(req: coprocessor.Request, start: number): number {
    const ms = Number(toBigInt(req.context?.maxExecutionDurationMs));
    return start + (ms > 0 ? ms : this.config.maxHandleDurationMs);
  }

  /** Region, epoch and range checks; the region's data version. Throws RegionError. */
  private check(req: coprocessor.Request) {
    const region = this.regions.checkContext(req.context);
    for (const r of req.ranges) {
      this.regions.checkRange(region, r.start ?? new Uint8Array(0), r.end ?? new Uint8Array(0));
    }
    return region;
  }

  private async runLimited(req: coprocessor.Request, opts: CopRunOptions): Promise<CopRunResult> {
    this.metrics.coprPending.inc({ state: "queued" });
    try {
      await this.limiter.acquire();
    } finally {
      this.metrics.coprPending.dec({ state: "queued" });
    }
    this.metrics.coprPending.inc({ state: "running" });
    try {
      return await this.runner(req, opts);
    } finally {
      this.metrics.coprPending.dec({ state: "running" });
      this.limiter.release();
    }
  }

  private errorResponse(e: unknown, tag: string): Resp {
    if (e instanceof RegionError) {
      this.metrics.coprError.inc({ reason: "region_error" });
      return { regionError: e.error };
    }
    if (e instanceof ServerBusy) {
      this.metrics.coprError.inc({ reason: "max_pending_tasks_exceeded" });
      return busyResponse();
    }
    // A read pool worker died or the runner failed: the server keeps serving.
    this.metrics.coprError.inc({ reason: "other" });
    this.log.warn({ err: e, req: tag }, "coprocessor request failed");
    return { otherError: e instanceof Error ? e.message : String(e) };
  }

  private record(result: CopRunResult, started: number): void {
    this.metrics.coprDuration.observe({ req: result.tag }, (Date.now() - started) / 1000);
    this.metrics.coprScanKeys.observe({ req: result.tag }, result.scannedKeys);
    if (result.errorTag !== null) this.metrics.coprError.inc({ reason: result.errorTag });
  }

  /** Answers one Coprocessor request; never throws. */
  async handle(req: coprocessor.Request): Promise<Resp> {
    const started = Date.now();
    try {
      const region = this.check(req);
      if (req.isCacheEnabled && toBigInt(req.cacheIfMatchVersion) === BigInt(region.dataVersion)) {
        // TiKV's CachedRequestHandler: the client's cached result is still valid.
        this.metrics.coprCacheHit.inc();
        return { isCacheHit: true, cacheLastVersion: u64(region.dataVersion) };
      }
      const result = await this.runLimited(req, {
        dataVersion: region.dataVersion,
        deadline: this.deadlineOf(req, started),
      });
      this.record(result, started);
      return result.response;
    } catch (e) {
      return this.errorResponse(e, "coprocessor");
    }
  }

  /**
   * Answers a CoprocessorStream request one page at a time: each message is the response of
   * one page of `paging_size` rows (or `streamBatchRowLimit`), with the range it covered; the
   * next page resumes after that range. Stops after an error or when `cancelled()` turns true.
   * It holds one concurrency slot for the whole stream, as TiKV does.
   */
  async *stream(req: coprocessor.Request, cancelled: () => boolean): AsyncGenerator<Resp> {
    const started = Date.now();
    let acquired = false;
    try {
      const region = this.check(req);
      const deadline = this.deadlineOf(req, started);
      const desc = Number(toBigInt(req.tp)) === REQ_TYPE_DAG ? dagIsDesc(req.data) : null;
      const paging = Number(toBigInt(req.pagingSize));
      const pageSize = paging > 0 ? paging : this.config.streamBatchRowLimit;
      let ranges: Range[] = req.ranges.map((r) => ({
        start: r.start ?? new Uint8Array(0),
        end: r.end ?? new Uint8Array(0),
      }));
      this.metrics.coprPending.inc({ state: "queued" });
      try {
        await this.limiter.acquire();
      } finally {
        this.metrics.coprPending.dec({ state: "queued" });
      }
      acquired = true;
      while (!cancelled()) {
        const pageReq = coprocessor.Request.create({
          ...req,
          ranges,
          ...(desc !== null ? { pagingSize: u64(pageSize) } : {}),
        });
        const pageStarted = Date.now();
        const result = await this.runner(pageReq, { dataVersion: region.dataVersion, deadline });
        this.record(result, pageStarted);
        if (cancelled()) return;
        yield result.response;
        const r = result.response;
        const failed = r.regionError != null || r.locked != null || (r.otherError ?? "") !== "";
        const range = r.range;
        if (failed || desc === null || range == null) return;
        const next = remainingRanges(
          ranges,
          range.start ?? new Uint8Array(0),
          range.end ?? new Uint8Array(0),
          desc,
        );
        if (next === null) return;
        ranges = next;
      }
    } catch (e) {
      yield this.errorResponse(e, "coprocessor_stream");
    } finally {
      if (acquired) this.limiter.release();
    }
  }
}

/** Whether a DAG request scans backwards (its first executor's `desc`); null when it does not parse. */
function dagIsDesc(data: Uint8Array): boolean | null {
  try {
    const dag = decodeMessage(tipb.DAGRequest, data, { recursionLimit: TIKV_RECURSION_LIMIT });
    const first = dag.executors[0];
    if (first === undefined) return false;
    return first.tp === tipb.ExecType.TypeTableScan
      ? first.tblScan?.desc === true
      : first.idxScan?.desc === true;
  } catch {
    return null;
  }
}

const cmp = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b);

/**
 * The ranges still to scan after a page covered `[lower, upper)`: for an ascending scan the parts
 * at or after `upper`, for a descending one the parts before `lower`. Null when nothing is left
 * or the page made no progress.
 */
export function remainingRanges(
  ranges: readonly Range[],
  lower: Uint8Array,
  upper: Uint8Array,
  desc: boolean,
): Range[] | null {
  const out: Range[] = [];
  if (!desc) {
    if (upper.length === 0) return null;
    for (const r of ranges) {
      if (r.end.length > 0 && cmp(r.end, upper) <= 0) continue;
      out.push({ start: cmp(r.start, upper) > 0 ? r.start : upper, end: r.end });
    }
  } else {
    if (lower.length === 0) return null;
    for (const r of ranges) {
      if (cmp(r.start, lower) >= 0) continue;
      out.push({ start: r.start, end: r.end.length === 0 || cmp(r.end, lower) > 0 ? lower : r.end });
    }
  }
  if (out.length === 0) return null;
  // No progress (the same ranges again) would loop forever.
  if (
    out.length === ranges.length &&
    out.every((r, i) => cmp(r.start, ranges[i]!.start) === 0 && cmp(r.end, ranges[i]!.end) === 0)
  ) {
    return null;
  }
  return out;
}
