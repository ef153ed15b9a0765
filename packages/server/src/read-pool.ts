// A pool of worker threads running reads (TiKV's unified read pool, src/read_pool.rs): requests go
// in as bytes and answers come back as transferred bytes; a worker that dies is replaced and its
// requests fail with an error the caller turns into other_error.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ScanTask } from "./scan.js";

/** What each worker needs to open the store. */
export interface WorkerInit {
  dataDir: string;
  mapSize: number | null;
}

/** A task for a worker. `crash` (tests only) makes the worker exit while holding the task. */
export type PoolTask =
  | { id: number; kind: "cop"; req: Uint8Array; dataVersion: number; deadline: number }
  | { id: number; kind: "scan"; scan: ScanTask }
  | { id: number; kind: "crash" };

/** A worker's answer: encoded response bytes, or the message of an error it could not map. */
export type PoolReply =
  | { id: number; ok: true; bytes: Uint8Array; scannedKeys: number; tag: string; errorTag: string | null }
  | { id: number; ok: false; message: string };

/** The successful reply of a task. */
export type PoolResult = Extract<PoolReply, { ok: true }>;

type TaskBody = PoolTask extends infer T ? (T extends PoolTask ? Omit<T, "id"> : never) : never;

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: PoolResult) => void; reject: (e: Error) => void }>;
  ready: Promise<void>;
}

function workerUrl(): URL {
  // From dist/ the compiled worker sits beside this module; from src/ (tests) use the built one.
  const here = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL("../dist/worker.js", import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error("read pool worker script not found: build @copr/server (dist/worker.js) first");
}

/** The worker threads of the read pool. */
export class ReadPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closing = false;
  /** Workers that died and were replaced (for metrics and tests). */
  restarts = 0;

  /**
   * @param size number of workers (>= 1)
   * @param onDeath called with the error when a worker dies unexpectedly
   */
  constructor(
    readonly size: number,
    private readonly init: WorkerInit,
    private readonly onDeath: (err: Error) => void = () => {},
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Resolves once every worker has started (opened its store). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  private spawn(): Slot {
    const worker = new Worker(workerUrl(), { workerData: this.init });
    const slot: Slot = {
      worker,
      pending: new Map(),
      ready: new Promise<void>((resolve, reject) => {
        worker.once("online", () => resolve());
        worker.once("error", reject);
      }),
    };
    slot.ready.catch(() => {});
    worker.on("message", (reply: PoolReply) => {
      const p = slot.pending.get(reply.id);
      if (p === undefined) return;
      slot.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply);
      else p.reject(new Error(reply.message));
    });
    let failure: Error | null = null;
    worker.on("error", (e) => {
      failure = e;
    });
    worker.on("exit", (code) => {
      const i = this.slots.indexOf(slot);
      const err = new Error(
        `read pool worker exited (code ${code})${failure !== null ? `: ${(failure as Error).message}` : ""}`,
      );
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      if (this.closing || i < 0) return;
      this.restarts++;
      this.onDeath(err);
      this.slots[i] = this.spawn();
    });
    return slot;
  }

  /** Runs a task on the least busy worker; rejects when the worker dies or cannot run it. */
  run(task: TaskBody): Promise<PoolResult> {
    if (this.closing) return Promise.reject(new Error("read pool is closed"));
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.nextId++;
    const full = { ...task, id } as PoolTask;
    return new Promise<PoolResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      // The request bytes are the caller's fresh copy: hand the buffer over instead of cloning it.
      const transfer =
        full.kind === "cop" && full.req.byteOffset === 0 && full.req.byteLength === full.req.buffer.byteLength
          ? [full.req.buffer as ArrayBuffer]
          : [];
      slot.worker.postMessage(full, transfer);
    });
  }

  /** Workers currently running (tests). */
  get workers(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }

  /** Stops every worker; tasks still running fail. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
