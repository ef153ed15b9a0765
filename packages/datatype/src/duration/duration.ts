// MySQL TIME values (a signed span of nanoseconds with a fractional-second precision).
// Behaviour of TiKV components/tidb_query_datatype/src/codec/mysql/duration.rs.

import { assert, ERR_DATA_OUT_OF_RANGE, ERR_UNKNOWN, EvalError, isCoprError } from "../errors.js";
import type { EvalContext } from "../eval-context.js";
import { Time, TimeType } from "../time/time.js";

/** Nanoseconds in a second. */
export const NANOS_PER_SEC = 1_000_000_000;
const NANOS_PER_MICRO = 1_000;
const NANOS_PER_MILLI = 1_000_000;
const SECS_PER_MINUTE = 60;
const SECS_PER_HOUR = 3_600;

/** The largest hour part of a TIME (838). */
export const MAX_DURATION_HOUR = 838;
const MAX_MINUTE_PART = 59;
const MAX_SECOND_PART = 59;
const MAX_NANOS_PART = 999_999_999;
const MAX_SECS = MAX_DURATION_HOUR * SECS_PER_HOUR + MAX_MINUTE_PART * SECS_PER_MINUTE + MAX_SECOND_PART;
/** The largest magnitude of a TIME in nanoseconds: 838:59:59 exactly (no fraction above it). */
export const MAX_DURATION_NANOS = MAX_SECS * NANOS_PER_SEC;
/** 8385959: the largest integer that reads as a TIME (`HHHMMSS`). */
const MAX_DURATION_INT_VALUE = MAX_DURATION_HOUR * 10_000 + MAX_MINUTE_PART * 100 + MAX_SECOND_PART;
const U32_MAX = 4_294_967_295;
const I64_MAX = 9_223_372_036_854_775_807n;
const I64_MIN = -9_223_372_036_854_775_808n;

/** 10^0 .. 10^9. */
const TEN_POW = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/**
 * Validates a fractional-second precision as TiKV's `check_fsp`: -1 (unspecified) means 0,
 * 0..6 are kept, anything else is an error (code 1105, `Invalid fsp <n>`).
 */
export function checkDurationFsp(fsp: number): number {
  if (fsp === -1) return 0;
  if (!Number.isInteger(fsp) || fsp < 0 || fsp > 6) {
    throw new EvalError(`Invalid fsp ${fsp}`, ERR_UNKNOWN);
  }
  return fsp;
}

function durationOverflow(): EvalError {
  return new EvalError("DURATION OVERFLOW", ERR_DATA_OUT_OF_RANGE);
}

function checkNanos(nanos: number): number {
  if (!(nanos >= -MAX_DURATION_NANOS && nanos <= MAX_DURATION_NANOS) || !Number.isInteger(nanos)) {
    throw EvalError.truncatedWrongValue("NANOS", String(nanos));
  }
  return nanos;
}

/**
 * Rounds `nanos` half away from zero to `fsp` fractional digits, checking the range before and
 * after (TiKV `checked_round`). `fsp` must already be valid (0..6).
 */
function checkedRound(nanos: number, fsp: number): number {
  checkNanos(nanos);
  const step = TEN_POW[9 - fsp];
  const rem = nanos % step;
  // `+ 0` turns a negative zero into zero.
  if (rem === 0) return nanos + 0;
  const rounded = Math.abs(rem) < step / 2 ? nanos - rem : nanos - rem + step * Math.sign(nanos);
  return checkNanos(rounded);
}

function isPart(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The time of day of integer `n` (at least 10^10) read as a DATETIME (TiKV
 * `Time::parse_from_i64` as DATETIME), or null when it is no valid DATETIME.
 */
function datetimeIntAsDuration(ctx: EvalContext, n: bigint, fsp: number): Duration | null {
  let t: Time;
  try {
    t = Time.fromI64(ctx, n, TimeType.DateTime, fsp);
  } catch (e) {
    if (isCoprError(e)) return null;
    throw e;
  }
  return Duration.fromNanos(t.toDurationNanos(), t.fsp);
}

/** Options of {@link Duration.parse}. */
export interface DurationParseOptions {
  /**
   * Try reading inputs that look like a DATETIME as one (TiKV `parse` vs `parse_exactly`).
   * Default true.
   */
  fallbackToDatetime?: boolean;
  /**
   * An hour part above 838 fails instead of clamping to ±838:59:59 (TiKV
   * `parse_consider_overflow` with `overflow_as_null`, used for REAL and DECIMAL casts).
   * Default false.
   */
  overflowAsNull?: boolean;
}

/**
 * A MySQL TIME: a signed number of nanoseconds within ±838:59:59 and the fractional-second
 * precision `fsp` (0..6) it is shown with. Values are immutable; the nanoseconds are always a
 * whole number rounded to `fsp` digits, and exact in a JS number (|nanos| < 2^53). Equality and
 * order consider only the nanoseconds, as in TiKV.
 */
export class Duration {
  /** Signed nanoseconds, |nanos| <= {@link MAX_DURATION_NANOS}. */
  readonly nanos: number;
  /** Fractional-second precision, 0..6. */
  readonly fsp: number;

  private constructor(nanos: number, fsp: number) {
    this.nanos = nanos;
    this.fsp = fsp;
  }

  /**
   * A Duration of `nanos` rounded half away from zero to `fsp` digits (TiKV `from_nanos`).
   * `fsp` -1 means 0. Out of range (or a non-integer) is a 1292 `Truncated incorrect NANOS value`
   * error, as in TiKV; an invalid fsp is a 1105 error.
   */
  static fromNanos(nanos: number, fsp: number): Duration {
    const f = checkDurationFsp(fsp);
    return new Duration(checkedRound(nanos, f), f);
  }

  /**
   * A Duration from values already known to be valid: an integer `nanos` within range and
   * already rounded to `fsp`, and `fsp` in 0..6 (e.g. read back from a column). Nothing is
   * checked.
   */
  static fromNanosUnchecked(nanos: number, fsp: number): Duration {
    return new Duration(nanos, fsp);
  }

  /** Zero, with the given precision (default 0). */
  static zero(fsp = 0): Duration {
    return new Duration(0, checkDurationFsp(fsp));
  }

  /**
   * A Duration from whole seconds (TiKV `from_secs`; no rounding). A product beyond i64 is a
   * 1690 `DURATION OVERFLOW`; beyond the TIME range a 1292 NANOS error.
   */
  static fromSecs(secs: number, fsp: number): Duration {
    const f = checkDurationFsp(fsp);
    return new Duration(checkNanos(scaleChecked(secs, NANOS_PER_SEC)), f);
  }

  /** A Duration from milliseconds, rounded to `fsp` (TiKV `from_millis`); errors as {@link fromSecs}. */
  static fromMillis(millis: number, fsp: number): Duration {
    const f = checkDurationFsp(fsp);
    return new Duration(checkedRound(scaleChecked(millis, NANOS_PER_MILLI), f), f);
  }

  /** A Duration from microseconds, rounded to `fsp` (TiKV `from_micros`); errors as {@link fromSecs}. */
  static fromMicros(micros: number, fsp: number): Duration {
    const f = checkDurationFsp(fsp);
    return new Duration(checkedRound(scaleChecked(micros, NANOS_PER_MICRO), f), f);
  }

  /**
   * A Duration from its parts (TiKV `new_from_parts`), rounded to `fsp`. Checked in TiKV's order:
   * minute > 59, second > 59, nanos > 999999999 are 1292 truncation errors; hour > 838 is a 1690
   * `DURATION OVERFLOW`; then the fsp.
   */
  static fromParts(
    negative: boolean,
    hour: number,
    minute: number,
    second: number,
    nanos: number,
    fsp: number,
  ): Duration {
    assert(
      isPart(hour) && isPart(minute) && isPart(second) && isPart(nanos),
      "Duration.fromParts takes non-negative integer parts",
    );
    if (minute > MAX_MINUTE_PART) throw EvalError.truncatedWrongValue("MINUTES", String(minute));
    if (second > MAX_SECOND_PART) throw EvalError.truncatedWrongValue("SECONDS", String(second));
    if (nanos > MAX_NANOS_PART) throw EvalError.truncatedWrongValue("NANOS", String(nanos));
    if (hour > MAX_DURATION_HOUR) throw durationOverflow();
    const f = checkDurationFsp(fsp);
    const abs = ((hour * 60 + minute) * SECS_PER_MINUTE + second) * NANOS_PER_SEC + nanos;
    return new Duration(checkedRound(negative && abs !== 0 ? -abs : abs, f), f);
  }

  /**
   * Parses a TIME literal as TiKV `Duration::parse` does: surrounding whitespace, an optional
   * `-`, then `D HH[:MM[:SS]]`, `HH:MM[:SS]` or compact `[[H]HMM]SS`, each with an optional
   * `.fraction` rounded to `fsp` (half away from zero, with carry). Trailing garbage is accepted
   * (a truncation reported through `ctx.handleTruncate`, whose error TiKV ignores) when the text
   * after the sign is shorter than 12 bytes. An hour above 838 clamps to ±838:59:59 if
   * `ctx.handleOverflowErr` lets it through. Inputs shaped like a DATETIME are read as one (see
   * {@link DurationDatetimeFallback}). Anything else is a 1292 `Truncated incorrect TIME value`
   * error naming the input.
   */
  static parse(ctx: EvalContext, input: string, fsp: number, options: DurationParseOptions = {}): Duration {
    const f = checkDurationFsp(fsp);
    const d = parseDuration(
      ctx,
      input,
      f,
      options.fallbackToDatetime ?? true,
      options.overflowAsNull ?? false,
    );
    if (d === null) throw EvalError.truncatedWrongValue("TIME", input);
    return d;
  }

  /** {@link parse} without the DATETIME fallback (TiKV `parse_exactly`). */
  static parseExactly(ctx: EvalContext, input: string, fsp: number): Duration {
    return Duration.parse(ctx, input, fsp, { fallbackToDatetime: false });
  }

  /**
   * Reads an integer as `[-]HHHMMSS` (TiKV `Duration::from_i64`): 101010 is 10:10:10. Beyond
   * ±8385959 it is a 1690 `Duration value is out of range in '<n>'` error, except that values of
   * at least 10^10 are first tried as a DATETIME (`YYYYMMDDHHMMSS`). A minute or second above 59
   * is a 1292 `Truncated incorrect time value` error.
   */
  static fromI64(ctx: EvalContext, n: number | bigint, fsp: number): Duration {
    if (typeof n === "number") {
      assert(Number.isInteger(n), "Duration.fromI64 takes an integer");
      if (!Number.isSafeInteger(n)) return Duration.fromI64(ctx, BigInt(n), fsp);
    } else if (n < I64_MIN || n > I64_MAX) {
      throw EvalError.overflow("Duration", String(n));
    }
    if (n > MAX_DURATION_INT_VALUE || n < -MAX_DURATION_INT_VALUE) {
      if (n >= 10_000_000_000) {
        const d = datetimeIntAsDuration(ctx, BigInt(n), fsp);
        if (d !== null) return d;
      }
      throw EvalError.overflow("Duration", String(n));
    }
    const v = Number(n);
    const abs = Math.abs(v);
    const hour = Math.floor(abs / 10_000);
    const minute = Math.floor(abs / 100) % 100;
    const second = abs % 100;
    if (hour > MAX_DURATION_HOUR || minute > MAX_MINUTE_PART || second > MAX_SECOND_PART) {
      throw EvalError.truncatedWrongValue("time", String(n));
    }
    return Duration.fromParts(v < 0, hour, minute, second, 0, fsp);
  }

  /** True if below zero. */
  get negative(): boolean {
    return this.nanos < 0;
  }

  /** The hour part of the magnitude (0..838). */
  get hours(): number {
    return Math.floor(this.absSecs() / SECS_PER_HOUR);
  }

  /** The minute part of the magnitude (0..59). */
  get minutes(): number {
    return Math.floor(this.absSecs() / SECS_PER_MINUTE) % 60;
  }

  /** The second part of the magnitude (0..59). */
  get secs(): number {
    return this.absSecs() % SECS_PER_MINUTE;
  }

  /** The fractional part of the magnitude in nanoseconds. */
  get subsecNanos(): number {
    return Math.abs(this.nanos) % NANOS_PER_SEC;
  }

  /** The fractional part of the magnitude in microseconds. */
  get subsecMicros(): number {
    return Math.floor(this.subsecNanos / NANOS_PER_MICRO);
  }

  private absSecs(): number {
    const abs = Math.abs(this.nanos);
    return (abs - (abs % NANOS_PER_SEC)) / NANOS_PER_SEC;
  }

  /** Signed nanoseconds. */
  toNanos(): number {
    return this.nanos;
  }

  /** Signed whole microseconds, truncated toward zero. */
  toMicros(): number {
    return Math.trunc(this.nanos / NANOS_PER_MICRO);
  }

  /** Signed whole milliseconds, truncated toward zero. */
  toMillis(): number {
    return Math.trunc(this.nanos / NANOS_PER_MILLI);
  }

  /** Signed whole seconds, truncated toward zero. */
  toSecs(): number {
    const s = this.absSecs();
    return this.nanos < 0 ? -s : s;
  }

  /** Seconds including the fraction, as a double. */
  toSecsF64(): number {
    return this.nanos / NANOS_PER_SEC;
  }

  /** True if zero (TIME is false in a boolean context exactly when zero). */
  isZero(): boolean {
    return this.nanos === 0;
  }

  /** The magnitude, same precision. */
  abs(): Duration {
    return this.nanos < 0 ? new Duration(-this.nanos, this.fsp) : this;
  }

  /** The same value shown with precision 0 (no rounding: TiKV `minimize_fsp`). */
  minimizeFsp(): Duration {
    return new Duration(this.nanos, 0);
  }

  /** The same value shown with precision 6 (TiKV `maximize_fsp`). */
  maximizeFsp(): Duration {
    return new Duration(this.nanos, 6);
  }

  /**
   * The value rounded half away from zero to `fsp` digits (TiKV `round_frac`); a larger `fsp`
   * only widens the precision. Rounding past 838:59:59 is a 1292 NANOS error.
   */
  roundFrac(fsp: number): Duration {
    const f = checkDurationFsp(fsp);
    if (f >= this.fsp) return f === this.fsp ? this : new Duration(this.nanos, f);
    return new Duration(checkedRound(this.nanos, f), f);
  }

  /** `this + rhs` with the larger precision, or null outside the TIME range. */
  checkedAdd(rhs: Duration): Duration | null {
    const n = this.nanos + rhs.nanos;
    if (n > MAX_DURATION_NANOS || n < -MAX_DURATION_NANOS) return null;
    return new Duration(n, Math.max(this.fsp, rhs.fsp));
  }

  /** `this - rhs` with the larger precision, or null outside the TIME range. */
  checkedSub(rhs: Duration): Duration | null {
    const n = this.nanos - rhs.nanos;
    if (n > MAX_DURATION_NANOS || n < -MAX_DURATION_NANOS) return null;
    return new Duration(n, Math.max(this.fsp, rhs.fsp));
  }

  /** -1, 0 or 1 by nanoseconds (precision is ignored). */
  compare(other: Duration): number {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }

  /** Equal nanoseconds (precision is ignored). */
  equals(other: Duration): boolean {
    return this.nanos === other.nanos;
  }

  /** MySQL's text form: `[-]HH:MM:SS[.f…]` with `fsp` fractional digits, e.g. `-838:59:59.000000`. */
  toString(): string {
    return formatDuration(this.nanos, this.fsp, ":");
  }

  /** The numeric form `[-]HHMMSS[.f…]` (TiKV `to_numeric_string`), e.g. `113045.1235`. */
  toNumericString(): string {
    return formatDuration(this.nanos, this.fsp, "");
  }

  /** The numeric form as a double (TiKV `Duration` -> `f64`): 11:30:45.5 is 113045.5. */
  toF64(): number {
    return Number(this.toNumericString());
  }
}

/** The TIME range's upper end, 838:59:59 with precision 0. */
export const MAX_DURATION: Duration = Duration.fromNanosUnchecked(MAX_DURATION_NANOS, 0);

/** `[-]HH<sep>MM<sep>SS[.f…]` of `nanos` shown with `fsp` digits (truncating finer digits). */
export function formatDuration(nanos: number, fsp: number, sep: string): string {
  const abs = Math.abs(nanos);
  const sub = abs % NANOS_PER_SEC;
  const secs = (abs - sub) / NANOS_PER_SEC;
  const h = Math.floor(secs / SECS_PER_HOUR);
  const m = Math.floor(secs / SECS_PER_MINUTE) % 60;
  const s = secs % SECS_PER_MINUTE;
  let out = `${nanos < 0 ? "-" : ""}${pad2(h)}${sep}${pad2(m)}${sep}${pad2(s)}`;
  if (fsp > 0) out += `.${String(Math.floor(sub / TEN_POW[9 - fsp])).padStart(fsp, "0")}`;
  return out;
}

/** `v * scale` as i64 nanoseconds; an i64 overflow is TiKV's `DURATION OVERFLOW`. */
function scaleChecked(v: number, scale: number): number {
  if (!Number.isInteger(v)) throw EvalError.truncatedWrongValue("NANOS", String(v));
  const p = v * scale;
  if (Number.isSafeInteger(p)) return p;
  const exact = BigInt(v) * BigInt(scale);
  if (exact > I64_MAX || exact < I64_MIN) throw durationOverflow();
  return Number(exact);
}

// ---- parser (TiKV duration.rs `mod parser`) ----

const CH_0 = 48;
const CH_9 = 57;

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

/** Rust `char::is_whitespace` (Unicode White_Space), which `str::trim` strips. */
function isRustWhitespace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

function rustTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isRustWhitespace(s.charCodeAt(a))) a++;
  while (b > a && isRustWhitespace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** nom `space0`: spaces and tabs. */
function skipSpaces(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) break;
    i++;
  }
  return i;
}

function skipDigits(s: string, i: number): number {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** UTF-8 byte length of `s` from `from`. */
function utf8LengthFrom(s: string, from: number): number {
  let n = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

// Parse results are returned through these module-level slots to avoid allocating per call.
let numEnd = 0;
let numVal = 0;

/** nom `digit1` then `u32` parse: false if no digit or the value exceeds u32. */
function readU32(s: string, i: number): boolean {
  const end = skipDigits(s, i);
  if (end === i) return false;
  let v = 0;
  for (let k = i; k < end; k++) {
    v = v * 10 + (s.charCodeAt(k) - CH_0);
    if (v > U32_MAX) return false;
  }
  numEnd = end;
  numVal = v;
  return true;
}

/** `\s*:\s*` (spaces/tabs only); the index after it, or -1. */
function colon(s: string, i: number): number {
  const j = skipSpaces(s, i);
  if (j >= s.length || s.charCodeAt(j) !== 0x3a) return -1;
  return skipSpaces(s, j + 1);
}

let hmsEnd = 0;
const hms = [0, 0, 0];

/** `HH[:MM[:SS]]`; with `requireColon` at least one colon part must follow the hour. */
function hhmmssDelimited(s: string, i: number, requireColon: boolean): boolean {
  if (!readU32(s, i)) return false;
  hms[0] = numVal;
  hms[1] = 0;
  hms[2] = 0;
  let rest = numEnd;
  for (let k = 1; k <= 2; k++) {
    const c = colon(s, rest);
    if (c >= 0) {
      if (!readU32(s, c)) return false;
      hms[k] = numVal;
      rest = numEnd;
    } else {
      if (k === 1 && requireColon) return false;
      break;
    }
  }
  hmsEnd = rest;
  return true;
}

/** ASCII punctuation (Rust `is_ascii_punctuation`). */
function isAsciiPunctuation(c: number): boolean {
  return (
    (c >= 0x21 && c <= 0x2f) ||
    (c >= 0x3a && c <= 0x40) ||
    (c >= 0x5b && c <= 0x60) ||
    (c >= 0x7b && c <= 0x7e)
  );
}

/** TiKV `format_can_match_datetime`: 12 or 14 leading digits, or `d+ P d+ P d+` then `T` or space. */
function formatCanMatchDatetime(s: string, i: number): boolean {
  let j = skipDigits(s, i);
  if (j === i) return false;
  if (j - i === 12 || j - i === 14) return true;
  for (let k = 0; k < 2; k++) {
    if (j >= s.length || !isAsciiPunctuation(s.charCodeAt(j))) return false;
    const start = j + 1;
    j = skipDigits(s, start);
    if (j === start) return false;
  }
  if (j >= s.length) return false;
  const c = s.charCodeAt(j);
  return c === 0x54 || c === 0x20;
}

let fracEnd = 0;
let fracNanos = 0;

/** Optional `.digits`, keeping fsp+1 digits (the extra one drives rounding); false on `.` alone. */
function fraction(s: string, i: number, fsp: number): boolean {
  if (i >= s.length || s.charCodeAt(i) !== 0x2e) {
    fracEnd = i;
    fracNanos = 0;
    return true;
  }
  const start = i + 1;
  const end = skipDigits(s, start);
  const len = end - start;
  if (len === 0) return false;
  const keep = fsp >= len ? len : fsp + 1;
  let v = 0;
  for (let k = start; k < start + keep; k++) v = v * 10 + (s.charCodeAt(k) - CH_0);
  fracEnd = end;
  fracNanos = v * TEN_POW[9 - keep];
  return true;
}

/** The time of day of `text` read as a DATETIME (TiKV `Time::parse_datetime(ctx, text, fsp, true)`), or null. */
function viaDatetime(ctx: EvalContext, text: string, fsp: number): Duration | null {
  try {
    const t = Time.parseDatetime(ctx, text, fsp, true);
    return Duration.fromNanos(t.toDurationNanos(), t.fsp);
  } catch (e) {
    if (isCoprError(e)) return null;
    throw e;
  }
}

/** TiKV `parser::parse`; null where TiKV yields `None`. `fsp` is already checked. */
function parseDuration(
  ctx: EvalContext,
  input: string,
  fsp: number,
  fallbackToDatetime: boolean,
  overflowAsNull: boolean,
): Duration | null {
  const s = rustTrim(input);
  if (s.length === 0) return null;
  let i = 0;
  const neg = s.charCodeAt(0) === 0x2d;
  if (neg) i = 1;
  i = skipSpaces(s, i);
  const restStart = i;
  const fallback = fallbackToDatetime && formatCanMatchDatetime(s, restStart);

  // One of the three layouts, into hms / hmsEnd.
  let matched = false;
  if (readU32(s, i)) {
    const day = numVal;
    const afterDay = numEnd;
    const h = skipSpaces(s, afterDay);
    if (h > afterDay && hhmmssDelimited(s, h, false)) {
      const hours = day * 24 + hms[0];
      if (day * 24 <= U32_MAX && hours <= U32_MAX) {
        hms[0] = hours;
        matched = true;
      }
    }
  }
  if (!matched) matched = hhmmssDelimited(s, i, true);
  if (!matched && readU32(s, i)) {
    const n = numVal;
    hms[0] = Math.floor(n / 10_000);
    hms[1] = Math.floor(n / 100) % 100;
    hms[2] = n % 100;
    hmsEnd = numEnd;
    matched = true;
  }

  let truncated = false;
  let result: Duration | EvalError | null = null;
  if (matched && fraction(s, skipSpaces(s, hmsEnd), fsp)) {
    let ok = true;
    if (fracEnd !== s.length) {
      if (utf8LengthFrom(s, restStart) >= 12) ok = false;
      else truncated = true;
    }
    if (ok) {
      try {
        result = Duration.fromParts(neg, hms[0], hms[1], hms[2], fracNanos, fsp);
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
        result = e;
      }
    }
  }

  if (truncated && fallback) return viaDatetime(ctx, s.slice(restStart), fsp);

  if (result instanceof Duration) {
    if (truncated) {
      try {
        ctx.handleTruncate(true);
      } catch (e) {
        // TiKV discards the error of this handle_truncate call.
        if (!isCoprError(e)) throw e;
      }
    }
    return result;
  }
  if (result !== null && result.code === ERR_DATA_OUT_OF_RANGE) {
    if (overflowAsNull) return null;
    try {
      ctx.handleOverflowErr(result);
    } catch (e) {
      if (isCoprError(e)) return null;
      throw e;
    }
    return Duration.fromNanosUnchecked(neg ? -MAX_DURATION_NANOS : MAX_DURATION_NANOS, fsp);
  }
  if (result === null && fallback) return viaDatetime(ctx, s.slice(restStart), fsp);
  return null;
}
