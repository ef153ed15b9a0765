// Prometheus metrics of a server, in its own registry, under TiKV's names (src/server/metrics.rs,
// src/coprocessor/metrics.rs).
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The metrics of one server. */
export class ServerMetrics {
  readonly registry = new Registry();
  /** gRPC message durations by method (`type`: kv_get, coprocessor, ...). */
  readonly grpcDuration: Histogram<"type">;
  /** gRPC messages that failed by method. */
  readonly grpcFail: Counter<"type">;
  /** Coprocessor request durations by request kind (`req`: select, index, checksum_table, ...). */
  readonly coprDuration: Histogram<"req">;
  /** Keys scanned per coprocessor request. */
  readonly coprScanKeys: Histogram<"req">;
  /** Coprocessor errors by reason (meet_lock, deadline_exceeded, max_pending_tasks_exceeded, other, region_error, cache_hit...). */
  readonly coprError: Counter<"reason">;
  /** Coprocessor cache hits. */
  readonly coprCacheHit: Counter;
  /** Coprocessor requests running or waiting for a slot. */
  readonly coprPending: Gauge<"state">;
  /** Read pool workers replaced after dying. */
  readonly readPoolRestarts: Counter;

  constructor() {
    const registers = [this.registry];
    this.grpcDuration = new Histogram({
      name: "tikv_grpc_msg_duration_seconds",
      help: "Bucketed histogram of grpc server messages",
      labelNames: ["type"],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers,
    });
    this.grpcFail = new Counter({
      name: "tikv_grpc_msg_fail_total",
      help: "Total number of handle grpc message failure",
      labelNames: ["type"],
      registers,
    });
    this.coprDuration = new Histogram({
      name: "tikv_coprocessor_request_duration_seconds",
      help: "Bucketed histogram of coprocessor request duration",
      labelNames: ["req"],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers,
    });
    this.coprScanKeys = new Histogram({
      name: "tikv_coprocessor_scan_keys",
      help: "Bucketed histogram of coprocessor per request scan keys",
      labelNames: ["req"],
      buckets: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576],
      registers,
    });
    this.coprError = new Counter({
      name: "tikv_coprocessor_request_error",
      help: "Total number of push down request error",
      labelNames: ["reason"],
      registers,
    });
    this.coprCacheHit = new Counter({
      name: "tikv_coprocessor_cache_hit_total",
      help: "Coprocessor requests answered from the client's cache (data version unchanged)",
      registers,
    });
    this.coprPending = new Gauge({
      name: "tikv_coprocessor_pending_request",
      help: "Coprocessor requests running or waiting",
      labelNames: ["state"],
      registers,
    });
    this.readPoolRestarts = new Counter({
      name: "copr_read_pool_worker_restarts_total",
      help: "Read pool workers replaced after dying",
      registers,
    });
  }
}
