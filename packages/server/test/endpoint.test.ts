// The endpoint's limits with a controllable runner: ServerIsBusy past the queue, other_error when
// the runner fails (a dead worker), the deadline answer of the handler.
import { i64, u64 } from "@copr/proto";
import { MemoryEngine, Mvcc } from "@copr/storage";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { runCopRequest } from "../src/cop-handler.js";
import { type CopRunner, CoprocessorEndpoint } from "../src/endpoint.js";
import { ServerMetrics } from "../src/metrics.js";
import { RegionManager } from "../src/regions.js";
import { copRequest, coprocessor, scanDag } from "./helpers.js";

const config = { maxConcurrency: 1, queueLength: 1, maxHandleDurationMs: 60_000, streamBatchRowLimit: 128 };
const req = () => coprocessor.Request.create(copRequest(scanDag(), 10));

describe("CoprocessorEndpoint", () => {
  it("queues past max concurrency and answers ServerIsBusy past the queue", async () => {
    const release: (() => void)[] = [];
    const runner: CopRunner = () =>
      new Promise((resolve) =>
        release.push(() =>
          resolve({ response: { data: new Uint8Array([1]) }, scannedKeys: 0, tag: "select", errorTag: null }),
        ),
      );
    const ep = new CoprocessorEndpoint(
      new RegionManager(),
      runner,
      config,
      new ServerMetrics(),
      pino({ level: "silent" }),
    );
    const first = ep.handle(req());
    const second = ep.handle(req());
    const third = await ep.handle(req());
    expect(third.regionError?.serverIsBusy?.reason).toBe(
      "Coprocessor task canceled due to exceeding max pending tasks",
    );
    await new Promise((r) => setTimeout(r, 5));
    expect(release).toHaveLength(1);
    release[0]!();
    expect((await first).data).toEqual(new Uint8Array([1]));
    await new Promise((r) => setTimeout(r, 5));
    release[1]!();
    expect((await second).data).toEqual(new Uint8Array([1]));
  });

  it("answers other_error when the runner fails, then keeps serving", async () => {
    let fail = true;
    const runner: CopRunner = async () => {
      if (fail) throw new Error("read pool worker exited (code 3)");
      return { response: {}, scannedKeys: 0, tag: "select", errorTag: null };
    };
    const ep = new CoprocessorEndpoint(
      new RegionManager(),
      runner,
      config,
      new ServerMetrics(),
      pino({ level: "silent" }),
    );
    expect((await ep.handle(req())).otherError).toBe("read pool worker exited (code 3)");
    fail = false;
    expect((await ep.handle(req())).otherError ?? "").toBe("");
  });

  it("passes max_execution_duration_ms as the deadline; a passed deadline is ServerIsBusy", async () => {
    let seen = 0;
    const runner: CopRunner = async (_r, opts) => {
      seen = opts.deadline;
      return { response: {}, scannedKeys: 0, tag: "select", errorTag: null };
    };
    const ep = new CoprocessorEndpoint(
      new RegionManager(),
      runner,
      config,
      new ServerMetrics(),
      pino({ level: "silent" }),
    );
    const before = Date.now();
    const r = req();
    r.context!.maxExecutionDurationMs = u64(250);
    await ep.handle(r);
    expect(seen - before).toBeGreaterThanOrEqual(250);
    expect(seen - before).toBeLessThan(250 + 1000);

    const out = runCopRequest(req(), new Mvcc(new MemoryEngine()), {
      dataVersion: 1,
      deadline: Date.now() - 1,
    });
    expect(out.response.regionError).toEqual({
      message: "Coprocessor task terminated due to exceeding the deadline",
      serverIsBusy: { reason: "deadline is exceeded" },
    });
    // An unsupported tp needs no data.
    const tp = coprocessor.Request.create({ ...copRequest(new Uint8Array(0), 1), tp: i64(1) });
    expect(
      runCopRequest(tp, new Mvcc(new MemoryEngine()), { dataVersion: 1, deadline: Date.now() + 1000 })
        .response.otherError,
    ).toBe("unsupported tp 1");
  });
});
