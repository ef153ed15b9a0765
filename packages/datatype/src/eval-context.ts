// The configuration of one evaluation (sql mode, statement flags, time zone) and the warnings it
// collects. Behaviour of TiKV components/tidb_query_datatype/src/expr/ctx.rs.

import { EvalError } from "./errors.js";
import { TimeZone } from "./time/tz.js";

/** SQL mode bits (TiDB `mysql.ModeXxx`) that change evaluation. */
export const SqlMode = {
  StrictTransTables: 1n << 21n,
  StrictAllTables: 1n << 22n,
  NoZeroInDate: 1n << 23n,
  NoZeroDate: 1n << 24n,
  InvalidDates: 1n << 25n,
  ErrorForDivisionByZero: 1n << 26n,
} as const;

/** Statement flags TiDB pushes down in `DAGRequest.flags` (TiDB `model.FlagXxx`). */
export const EvalFlag = {
  IgnoreTruncate: 1,
  TruncateAsWarning: 1 << 1,
  PadCharToFullLength: 1 << 2,
  InInsertStmt: 1 << 3,
  InUpdateOrDeleteStmt: 1 << 4,
  InSelectStmt: 1 << 5,
  OverflowAsWarning: 1 << 6,
  DividedByZeroAsWarning: 1 << 8,
  InLoadDataStmt: 1 << 10,
} as const;

/** TiKV's default bound on the warnings kept per request. */
export const DEFAULT_MAX_WARNING_COUNT = 64;
/** MySQL's default `div_precision_increment`. */
export const DEFAULT_DIV_PRECISION_INCREMENT = 4;

/** Settings of an evaluation; every field is optional in {@link EvalContext}'s constructor. */
export interface EvalConfig {
  /** Statement flags, a combination of {@link EvalFlag} bits. Default 0. */
  flags: number;
  /** SQL mode bits ({@link SqlMode}). Default 0n. */
  sqlMode: bigint;
  /** The session time zone, used for TIMESTAMP. Default UTC. */
  timeZone: TimeZone;
  /** How many warnings are kept; the total count goes on past it. Default 64. */
  maxWarningCount: number;
  /** Extra fractional digits of a decimal division (0..30). Default 4. */
  divPrecisionIncrement: number;
}

/** A warning as it travels in `tipb.Error`: MySQL code and message. */
export interface EvalWarning {
  code: number;
  message: string;
}

/**
 * The warnings of an evaluation: the first `max` in order, and how many there were in total
 * (TiDB reports the total as the statement's warning count).
 */
export class EvalWarnings {
  readonly max: number;
  readonly list: EvalWarning[] = [];
  count = 0;

  constructor(max: number) {
    this.max = max;
  }

  /** Records one warning; beyond `max` only the count grows. */
  add(err: EvalError): void {
    this.count++;
    if (this.list.length < this.max) this.list.push({ code: err.code, message: err.message });
  }

  /** Moves the warnings of `other` after these ones, still bounded by `max`. */
  merge(other: EvalWarnings): void {
    this.count += other.count;
    for (const w of other.list) {
      if (this.list.length >= this.max) break;
      this.list.push(w);
    }
  }
}

/**
 * What an evaluation needs to know besides its inputs, and where its warnings go. Whether a
 * problem is an error or a warning is decided here, by the `handle*` methods, never by the
 * function that hit it: each returns normally when the problem became a warning (or was ignored)
 * and throws the {@link EvalError} otherwise.
 */
export class EvalContext {
  readonly flags: number;
  readonly sqlMode: bigint;
  readonly timeZone: TimeZone;
  readonly maxWarningCount: number;
  readonly divPrecisionIncrement: number;
  warnings: EvalWarnings;

  constructor(config: Partial<EvalConfig> = {}) {
    this.flags = config.flags ?? 0;
    this.sqlMode = config.sqlMode ?? 0n;
    this.timeZone = config.timeZone ?? TimeZone.utc();
    this.maxWarningCount = config.maxWarningCount ?? DEFAULT_MAX_WARNING_COUNT;
    const incr = config.divPrecisionIncrement ?? DEFAULT_DIV_PRECISION_INCREMENT;
    if (!Number.isInteger(incr) || incr < 0 || incr > 30) {
      throw new RangeError(`div_precision_increment must be an integer in 0..30, got ${incr}`);
    }
    this.divPrecisionIncrement = incr;
    this.warnings = new EvalWarnings(this.maxWarningCount);
  }

  /** A context that ignores truncation, as TiKV's tests default to. */
  static forTest(config: Partial<EvalConfig> = {}): EvalContext {
    return new EvalContext({ ...config, flags: (config.flags ?? 0) | EvalFlag.IgnoreTruncate });
  }

  hasFlag(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  hasSqlMode(mode: bigint): boolean {
    return (this.sqlMode & mode) !== 0n;
  }

  /** STRICT_TRANS_TABLES or STRICT_ALL_TABLES. */
  isStrict(): boolean {
    return this.hasSqlMode(SqlMode.StrictTransTables | SqlMode.StrictAllTables);
  }

  /** A truncation: ignored, a warning, or thrown, by the IgnoreTruncate/TruncateAsWarning flags. */
  handleTruncateErr(err: EvalError): void {
    if (this.hasFlag(EvalFlag.IgnoreTruncate)) return;
    if (this.hasFlag(EvalFlag.TruncateAsWarning)) {
      this.warnings.add(err);
      return;
    }
    throw err;
  }

  /** {@link handleTruncateErr} with the plain "Data Truncated" error, if `truncated`. */
  handleTruncate(truncated: boolean): void {
    if (truncated) this.handleTruncateErr(EvalError.truncated());
  }

  /** An overflow: a warning under OverflowAsWarning, thrown otherwise. */
  handleOverflowErr(err: EvalError): void {
    if (this.hasFlag(EvalFlag.OverflowAsWarning)) {
      this.warnings.add(err);
      return;
    }
    throw err;
  }

  /**
   * Division by zero. In INSERT/UPDATE/DELETE it is nothing without ERROR_FOR_DIVISION_BY_ZERO,
   * an error in strict mode unless DividedByZeroAsWarning, and a warning otherwise; elsewhere
   * (SELECT) always a warning. The caller then yields NULL.
   */
  handleDivisionByZero(): void {
    if (this.hasFlag(EvalFlag.InInsertStmt) || this.hasFlag(EvalFlag.InUpdateOrDeleteStmt)) {
      if (!this.hasSqlMode(SqlMode.ErrorForDivisionByZero)) return;
      if (this.isStrict() && !this.hasFlag(EvalFlag.DividedByZeroAsWarning)) {
        throw EvalError.divisionByZero();
      }
    }
    this.warnings.add(EvalError.divisionByZero());
  }

  /** An invalid time value: an error in strict INSERT/UPDATE/DELETE, a warning otherwise. */
  handleInvalidTimeError(err: EvalError): void {
    if (
      this.isStrict() &&
      (this.hasFlag(EvalFlag.InInsertStmt) || this.hasFlag(EvalFlag.InUpdateOrDeleteStmt))
    ) {
      throw err;
    }
    this.warnings.add(err);
  }

  /** True when a negative value cast to UNSIGNED becomes 0 (INSERT and LOAD DATA). */
  shouldClipToZero(): boolean {
    return this.hasFlag(EvalFlag.InInsertStmt) || this.hasFlag(EvalFlag.InLoadDataStmt);
  }

  /** Returns the warnings collected so far and starts a new, empty list. */
  takeWarnings(): EvalWarnings {
    const w = this.warnings;
    this.warnings = new EvalWarnings(this.maxWarningCount);
    return w;
  }
}
