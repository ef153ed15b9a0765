// A read pool worker thread: opens the LMDB environment read-only and answers coprocessor and
// KvScan tasks with encoded response bytes (TiKV runs these on its unified read pool, src/read_pool.rs).
import { parentPort, workerData } from "node:worker_threads";
import { coprocessor, encodeMessage } from "@copr/proto";
import { Mvcc, openLmdbEngine } from "@copr/storage";
import { runCopRequestBytes } from "./cop-handler.js";
import type { PoolReply, PoolTask, WorkerInit } from "./read-pool.js";
import { runScanTaskBytes } from "./scan.js";

const init = workerData as WorkerInit;
const engine = openLmdbEngine({
  path: init.dataDir,
  readOnly: true,
  ...(init.mapSize !== null ? { mapSize: init.mapSize } : {}),
});
const mvcc = new Mvcc(engine);

/** A buffer the reply may transfer: copied when it is a view into a larger (pooled) buffer. */
function owned(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice();
}

parentPort!.on("message", (task: PoolTask) => {
  let reply: PoolReply;
  try {
    if (task.kind === "cop") {
      const r = runCopRequestBytes(task.req, mvcc, {
        dataVersion: task.dataVersion,
        deadline: task.deadline,
      });
      reply = {
        id: task.id,
        ok: true,
        bytes: owned(encodeMessage(coprocessor.Response, r.response)),
        scannedKeys: r.scannedKeys,
        tag: r.tag,
        errorTag: r.errorTag,
      };
    } else if (task.kind === "scan") {
      reply = {
        id: task.id,
        ok: true,
        bytes: owned(runScanTaskBytes(task.scan, mvcc)),
        scannedKeys: 0,
        tag: "scan",
        errorTag: null,
      };
    } else {
      // Test hook: lets tests see a worker die mid-request.
      process.exit(3);
    }
  } catch (e) {
    reply = { id: task.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
  if (reply.ok) parentPort!.postMessage(reply, [reply.bytes.buffer as ArrayBuffer]);
  else parentPort!.postMessage(reply);
});
