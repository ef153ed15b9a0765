// Public API of MySQL TIME values (TiKV codec/mysql/duration.rs).

export {
  checkDurationFsp,
  Duration,
  type DurationParseOptions,
  formatDuration,
  MAX_DURATION,
  MAX_DURATION_HOUR,
  MAX_DURATION_NANOS,
} from "./duration.js";
