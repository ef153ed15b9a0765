// MySQL DATE, DATETIME and TIMESTAMP values.
// Behaviour of TiKV components/tidb_query_datatype/src/codec/mysql/time/mod.rs.

import { ERR_UNKNOWN, EvalError, UnsupportedError } from "../errors.js";
import { EvalContext, EvalFlag, SqlMode } from "../eval-context.js";
import { FieldTypeTp } from "../field-type.js";
import {
  checkFsp,
  civilFromDays,
  DEFAULT_FSP,
  dateFromDaynr,
  daynr,
  daysFromCivil,
  isLeapYear,
  isValidDate,
  lastDayOfMonth,
  MAX_FSP,
  MAX_TIMESTAMP,
  MIN_TIMESTAMP,
  roundComponents,
  roundFrac,
  SECONDS_PER_DAY,
  TEN_POW,
} from "./core.js";
import { adjustYear, digitsToU32, parseFrac, parseWhole, rustTrim, splitComponentsWithTz } from "./parse.js";
import type { TimeZone } from "./tz.js";

/** Which of the three MySQL date/time types a {@link Time} is. */
export const TimeType = {
  Date: "Date",
  DateTime: "DateTime",
  Timestamp: "Timestamp",
} as const;
export type TimeType = (typeof TimeType)[keyof typeof TimeType];

/**
 * The time type of a column type code: DATE, DATETIME, TIMESTAMP, and (as TiKV still does)
 * Unspecified as DATETIME. Any other code is an {@link UnsupportedError}.
 */
export function timeTypeOfTp(tp: number): TimeType {
  switch (tp) {
    case FieldTypeTp.Date:
      return TimeType.Date;
    case FieldTypeTp.DateTime:
    case FieldTypeTp.Unspecified:
      return TimeType.DateTime;
    case FieldTypeTp.Timestamp:
      return TimeType.Timestamp;
    default:
      throw new UnsupportedError(`Time does not support field type ${tp}`);
  }
}

/** The column type code of a time type. */
export function fieldTypeTpOfTimeType(type: TimeType): FieldTypeTp {
  if (type === TimeType.Date) return FieldTypeTp.Date;
  return type === TimeType.DateTime ? FieldTypeTp.DateTime : FieldTypeTp.Timestamp;
}

/** The calendar and clock fields of a time, as plain numbers. */
export interface TimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
}

const FSP_TT_DATE = 0b1110;
const TWO_POW_32 = 4_294_967_296;
const TWO_POW_17 = 131_072;
const TWO_POW_24 = 16_777_216;
const NANOS_PER_SEC = 1_000_000_000;
const MICROS_PER_SEC = 1_000_000;
/** TiKV's bound on the seconds of an interval added to a time (10000 years of 365 days). */
const MAX_INTERVAL_SECS = 10_000 * 365 * SECONDS_PER_DAY;
const I64_MAX = 9_223_372_036_854_775_807n;

// Outcomes of the sql-mode checks of a new value (TiKV `TimeArgs::check` and its helpers).
const KEEP = 0;
const ZERO = 1;
const FAIL = 2;
const KEEP_CLEARED = 3;

/** Scratch for calendar conversions, so the hot paths do not allocate. */
const ymd = [0, 0, 0];

/**
 * A DATE, DATETIME or TIMESTAMP value. Immutable. It holds exactly TiKV's (and TiDB's chunk)
 * 64-bit layout as two unsigned 32-bit words:
 *
 * | bits  | 63..50 | 49..46 | 45..41 | 40..36 | 35..30 | 29..24 | 23..4 | 3..0   |
 * | ----- | ------ | ------ | ------ | ------ | ------ | ------ | ----- | ------ |
 * | field | year   | month  | day    | hour   | minute | second | micro | fsp_tt |
 *
 * `fsp_tt` is `fsp << 1 | t` with t = 0 for DATETIME and 1 for TIMESTAMP; DATE is `0b1110`.
 * A TIMESTAMP holds its wall-clock fields in the session time zone (as TiKV); the packed storage
 * form ({@link toPackedU64}) holds UTC. Values made by the checked constructors (parse, from*)
 * obey the sql-mode rules; {@link fromWords} and {@link unchecked} take any bits.
 * Equality and order ignore the fsp and the type, as TiKV.
 */
export class Time {
  readonly #lo: number;
  readonly #hi: number;

  private constructor(lo: number, hi: number) {
    this.#lo = lo;
    this.#hi = hi;
  }

  // ---- layout ----------------------------------------------------------------------------

  /**
   * The value whose 64-bit layout is `hi << 32 | lo` (both unsigned 32-bit). No validation: the
   * fields are whatever the bits say, as TiKV reads a chunk column.
   */
  static fromWords(lo: number, hi: number): Time {
    return new Time(lo >>> 0, hi >>> 0);
  }

  /** The value of a 64-bit layout given as a bigint (only the low 64 bits are used). */
  static fromCoreU64(v: bigint): Time {
    return new Time(Number(v & 0xffff_ffffn), Number((v >> 32n) & 0xffff_ffffn));
  }

  /** Bits 31..0 of the layout, as an unsigned 32-bit number. */
  lowWord(): number {
    return this.#lo;
  }

  /** Bits 63..32 of the layout, as an unsigned 32-bit number. */
  highWord(): number {
    return this.#hi;
  }

  /** The whole 64-bit layout as a bigint (TiKV's `Time.0`, TiDB's chunk value). */
  toCoreU64(): bigint {
    return (BigInt(this.#hi) << 32n) | BigInt(this.#lo);
  }

  /**
   * A value from fields without any check. Each field is cut to its bit width as TiKV's setters
   * do (month 16 becomes 0); fsp above 6 becomes 6; a DATE keeps its clock fields as given.
   */
  static unchecked(fields: TimeFields, type: TimeType, fsp: number): Time {
    return pack(
      fields.year,
      fields.month,
      fields.day,
      fields.hour,
      fields.minute,
      fields.second,
      fields.micro,
      fsp,
      type,
    );
  }

  // ---- fields ----------------------------------------------------------------------------

  /** Year, 0..9999 for checked values (the layout has room for 0..16383). */
  get year(): number {
    return this.#hi >>> 18;
  }
  /** Month, 1..12, or 0 in zero and partial dates. */
  get month(): number {
    return (this.#hi >>> 14) & 0xf;
  }
  /** Day of month, 1..31, or 0 in zero and partial dates. */
  get day(): number {
    return (this.#hi >>> 9) & 0x1f;
  }
  /** Hour, 0..23. */
  get hour(): number {
    return (this.#hi >>> 4) & 0x1f;
  }
  /** Minute, 0..59. */
  get minute(): number {
    return ((this.#hi & 0xf) << 2) | (this.#lo >>> 30);
  }
  /** Second, 0..59. */
  get second(): number {
    return (this.#lo >>> 24) & 0x3f;
  }
  /** Microseconds within the second, 0..999999. */
  get micro(): number {
    return (this.#lo >>> 4) & 0xfffff;
  }
  /** Fractional-second precision 0..6; always 0 for a DATE. */
  get fsp(): number {
    const ft = this.#lo & 0xf;
    return ft >>> 1 === 0b111 ? 0 : ft >>> 1;
  }
  /** DATE, DATETIME or TIMESTAMP. */
  get type(): TimeType {
    const ft = this.#lo & 0xf;
    if (ft >>> 1 === 0b111) return TimeType.Date;
    return (ft & 1) === 0 ? TimeType.DateTime : TimeType.Timestamp;
  }

  /** The fields as a plain object. */
  fields(): TimeFields {
    return {
      year: this.year,
      month: this.month,
      day: this.day,
      hour: this.hour,
      minute: this.minute,
      second: this.second,
      micro: this.micro,
    };
  }

  /** True for the zero value `0000-00-00 00:00:00` (of any type and fsp). */
  isZero(): boolean {
    return this.#hi === 0 && this.#lo >>> 4 === 0;
  }

  /** True when the month or the day is 0 (TiKV `invalid_zero`). */
  invalidZero(): boolean {
    return this.month === 0 || this.day === 0;
  }

  /** Whether the year is a leap year. */
  isLeapYear(): boolean {
    return isLeapYear(this.year);
  }

  /** The number of days in this value's month (31 for month 0). */
  lastDayOfMonth(): number {
    return lastDayOfMonth(this.year, this.month);
  }

  /**
   * The same value on the last day of its month at 00:00:00 (type and fsp kept), or null for a
   * date with a zero month or day (TiKV `last_date_of_month`).
   */
  lastDateOfMonth(): Time | null {
    if (this.invalidZero()) return null;
    return pack(this.year, this.month, this.lastDayOfMonth(), 0, 0, 0, 0, this.fsp, this.type);
  }

  /**
   * Day of the week, 0 = Monday .. 6 = Sunday. A zero month or day counts back from the first of
   * the month (0000-01-00 is the day before 0000-01-01), as TiKV.
   */
  weekday(): number {
    const days = weekdayBaseDays(this.year, this.month) + this.day - 1;
    // 1970-01-01 was a Thursday.
    return (((days + 3) % 7) + 7) % 7;
  }

  /** Day of the year, 1..366 (TiKV `ordinal`; with a zero month it is `day - 32`). */
  dayOfYear(): number {
    const month = this.month;
    if (month === 0) return this.day - 32;
    let sum = 0;
    for (let m = 1; m < month; m++) sum += lastDayOfMonth(this.year, m);
    return sum + this.day;
  }

  /** MySQL's day number of the date (`TO_DAYS`): 0000-00-00 is 0, 0000-01-01 is 1. */
  daynr(): number {
    return daynr(this.year, this.month, this.day);
  }

  // ---- comparison ------------------------------------------------------------------------

  /** -1, 0 or 1 by chronological order of the fields; fsp and type are ignored (TiKV `Ord`). */
  compare(other: Time): number {
    return compareTimeWords(this.#lo, this.#hi, other.#lo, other.#hi);
  }

  /** Equality of the fields; fsp and type are ignored (TiKV `PartialEq`). */
  equals(other: Time): boolean {
    return this.#hi === other.#hi && this.#lo >>> 4 === other.#lo >>> 4;
  }

  // ---- formatting ------------------------------------------------------------------------

  /**
   * As MySQL prints it: `YYYY-MM-DD` for a DATE, `YYYY-MM-DD HH:MM:SS[.f…]` with `fsp` fraction
   * digits otherwise (the fraction is cut, not rounded: the value is already at its fsp).
   */
  toString(): string {
    const hi = this.#hi;
    const lo = this.#lo;
    const date = `${pad4(hi >>> 18)}-${D2[(hi >>> 14) & 0xf]}-${D2[(hi >>> 9) & 0x1f]}`;
    if (this.type === TimeType.Date) return date;
    const minute = ((hi & 0xf) << 2) | (lo >>> 30);
    return `${date} ${D2[(hi >>> 4) & 0x1f]}:${D2[minute]}:${D2[(lo >>> 24) & 0x3f]}${this.#fraction()}`;
  }

  /** The number MySQL reads this value as, as text: `YYYYMMDD` or `YYYYMMDDHHMMSS[.f…]`. */
  toNumericString(): string {
    let s = `${pad4(this.year)}${D2[this.month]}${D2[this.day]}`;
    if (this.type !== TimeType.Date) s += `${D2[this.hour]}${D2[this.minute]}${D2[this.second]}`;
    return s + this.#fraction();
  }

  /** The value as a DOUBLE (0 for the zero value), as TiKV's conversion to f64. */
  toF64(): number {
    return this.isZero() ? 0 : Number(this.toNumericString());
  }

  /**
   * The value as DECIMAL text without leading zeros (`"20121231113045.123"`, `"0"` for the zero
   * value), ready for the Decimal parser; as TiKV's conversion to Decimal.
   */
  toDecimalString(): string {
    if (this.isZero()) return "0";
    const s = this.toNumericString();
    let i = 0;
    while (i < s.length - 1 && s[i] === "0" && s[i + 1] !== ".") i++;
    return s.slice(i);
  }

  /**
   * The time of day as TIME nanoseconds (TiKV's conversion to Duration, used with this value's
   * fsp); 0 for the zero value.
   */
  toDurationNanos(): number {
    if (this.isZero()) return 0;
    const secs = this.hour * 3600 + this.minute * 60 + this.second;
    return (secs * MICROS_PER_SEC + this.micro) * 1000;
  }

  #fraction(): string {
    const fsp = this.fsp;
    if (fsp === 0) return "";
    return `.${pad(Math.floor(this.micro / TEN_POW[6 - fsp]), fsp)}`;
  }

  // ---- type and precision ----------------------------------------------------------------

  /**
   * This value as another type (TiKV `set_time_type`): to DATE drops the clock and fsp; a DATE or
   * DATETIME cannot become a TIMESTAMP this way (error 1105: the zone conversion is missing).
   */
  withType(type: TimeType): Time {
    const cur = this.type;
    if (cur === type) return this;
    if (type === TimeType.Timestamp) {
      throw new EvalError("can not convert datetime/date to timestamp", ERR_UNKNOWN);
    }
    if (type === TimeType.Date) return pack(this.year, this.month, this.day, 0, 0, 0, 0, 0, type);
    const fsp = cur === TimeType.Date ? 0 : this.fsp;
    return new Time(((this.#lo & ~0xf) | (fsp << 1)) >>> 0, this.#hi);
  }

  /** This value with another fsp (capped at 6; no effect on a DATE), fields unchanged. */
  withFsp(fsp: number): Time {
    if (this.type === TimeType.Date) return this;
    const f = Math.min(Math.max(Math.trunc(fsp), 0), MAX_FSP);
    return new Time(((this.#lo & ~0xe) | (f << 1)) >>> 0, this.#hi);
  }

  /**
   * Rounds the fraction to `fsp` digits, half up, carrying into seconds, minutes, … (TiKV
   * `round_frac`). A larger fsp only widens the precision. A carry through a zero or too large
   * day (`2012-04-31 23:59:59.9999`) gives the zero value.
   */
  roundFrac(ctx: EvalContext, fsp: number): Time {
    const type = this.type;
    if (type === TimeType.Date || this.isZero()) return this;
    const f = checkFsp(fsp);
    if (f > this.fsp) return this.withFsp(f);
    const parts = [
      this.year,
      this.month,
      this.day,
      this.hour,
      this.minute,
      this.second,
      roundFrac(this.micro, f),
    ];
    if (parts[6] >= MICROS_PER_SEC && !roundComponents(parts)) {
      return orIncorrect(
        checkedTime(ctx, 0, 0, 0, 0, 0, 0, 0, f, type),
        uncheckedText(0, 0, 0, 0, 0, 0, 0, f, type),
      );
    }
    return orIncorrect(checkedPartsTime(ctx, parts, type, f), this.toString());
  }

  /**
   * Moves a DATE/DATETIME with a zero month or day, or a day past the month's end, to the real
   * date it stands for (`2019-02-30` → `2019-03-02`, `2019-00-00` → `2018-11-30`); TIMESTAMPs
   * are returned as they are (TiKV `normalized`). Throws error 1292 when there is none.
   */
  normalized(ctx: EvalContext): Time {
    return orIncorrect(this.#normalizedOrNull(ctx), this.toString());
  }

  #normalizedOrNull(ctx: EvalContext): Time | null {
    if (this.type === TimeType.Timestamp) return this;
    const { year, month, day } = this;
    if (!(day > this.lastDayOfMonth() || month === 0 || day === 0)) return this;
    const [hour, minute, second, micro] = [this.hour, this.minute, this.second, this.micro];
    if (month === 0 && year < 1) return null;
    if (month > 12 || hour > 23 || minute > 59 || second > 59 || micro >= 2 * MICROS_PER_SEC) return null;
    const base = month === 0 ? daysFromCivil(year - 1, 12, 1) : daysFromCivil(year, month, 1);
    civilFromDays(base + day - 1, ymd);
    return checkedTime(ctx, ymd[0], ymd[1], ymd[2], hour, minute, second, micro, this.fsp, this.type);
  }

  // ---- arithmetic ------------------------------------------------------------------------

  /**
   * This value plus a TIME given as nanoseconds (|nanos| ≤ 3_020_399_999_999_000), or null when
   * the result is not a valid value (TiKV `checked_add`). Partial dates are normalized first. A
   * TIMESTAMP moves in real time through the session zone's DST changes and stays a TIMESTAMP;
   * a DATE or DATETIME moves on the calendar and becomes a DATETIME with this value's fsp.
   */
  checkedAdd(ctx: EvalContext, nanos: number): Time | null {
    const norm = this.#normalizedOrNull(ctx);
    if (norm === null) return null;
    const isTs = this.type === TimeType.Timestamp;
    const base = isTs ? norm.#utcSeconds(ctx.timeZone) : norm.#naiveSeconds();
    if (base === null) return null;
    let sec = base;
    let ns = norm.micro * 1000;
    const rem = nanos % NANOS_PER_SEC;
    sec += (nanos - rem) / NANOS_PER_SEC;
    ns += rem;
    if (ns < 0) {
      ns += NANOS_PER_SEC;
      sec -= 1;
    } else if (ns >= NANOS_PER_SEC) {
      ns -= NANOS_PER_SEC;
      sec += 1;
    }
    const type = isTs ? TimeType.Timestamp : TimeType.DateTime;
    const local = isTs ? ctx.timeZone.utcToLocal(sec) : sec;
    return timeFromLocalSeconds(ctx, local, Math.floor(ns / 1000), type, this.fsp);
  }

  /** This value minus a TIME given as nanoseconds; see {@link checkedAdd}. */
  checkedSub(ctx: EvalContext, nanos: number): Time | null {
    return this.checkedAdd(ctx, -nanos);
  }

  /**
   * This value plus `secs` seconds and `nanos` nanoseconds (TiKV `add_sec_nanos`, the step of
   * DATE_ADD with an interval). The type is kept; a result in year 0 becomes 0000-00-00 with its
   * clock. |secs| above 10000 × 365 days is error 1441; an invalid base is `Data Truncated`; an
   * invalid result is error 1292.
   */
  addSecNanos(ctx: EvalContext, secs: number, nanos: number): Time {
    if (!(secs >= -MAX_INTERVAL_SECS && secs <= MAX_INTERVAL_SECS))
      throw EvalError.datetimeFunctionOverflow();
    const type = this.type;
    const isTs = type === TimeType.Timestamp;
    const base = isTs ? this.#utcSeconds(ctx.timeZone) : this.#naiveSeconds();
    if (base === null) throw EvalError.truncated();
    const rem = nanos % NANOS_PER_SEC;
    let sec = base + secs + (nanos - rem) / NANOS_PER_SEC;
    let ns = this.micro * 1000 + rem;
    if (ns < 0) {
      ns += NANOS_PER_SEC;
      sec -= 1;
    } else if (ns >= NANOS_PER_SEC) {
      ns -= NANOS_PER_SEC;
      sec += 1;
    }
    const local = isTs ? ctx.timeZone.utcToLocal(sec) : sec;
    const days = Math.floor(local / SECONDS_PER_DAY);
    const tod = local - days * SECONDS_PER_DAY;
    civilFromDays(days, ymd);
    const [hour, minute, second, micro] = [
      Math.floor(tod / 3600),
      Math.floor(tod / 60) % 60,
      tod % 60,
      Math.floor(ns / 1000),
    ];
    const t = checkedTime(ctx, ymd[0], ymd[1], ymd[2], hour, minute, second, micro, this.fsp, type);
    if (t === null) {
      throw EvalError.incorrectDatetimeValue(
        uncheckedText(ymd[0], ymd[1], ymd[2], hour, minute, second, micro, this.fsp, type),
      );
    }
    if (t.year === 0) return pack(0, 0, 0, t.hour, t.minute, t.second, t.micro, t.fsp, type);
    return t;
  }

  /**
   * This value `months` months later (earlier when negative), the day cut to the new month's
   * length (TiKV `add_months`). A result before year 0 or after 9999 is error 1441; a result in
   * year 0 becomes 0000-00-00 with its clock.
   */
  addMonths(months: number): Time {
    let year = this.year;
    let month = this.month - 1 + months;
    if (month >= 0) {
      year += Math.floor(month / 12);
      month %= 12;
    } else {
      const dec = Math.ceil(-month / 12);
      month += dec * 12;
      year -= dec;
    }
    if (year < 0 || year > 9999) throw EvalError.datetimeFunctionOverflow();
    const { hour, minute, second, micro, fsp, type } = this;
    if (year === 0) return pack(0, 0, 0, hour, minute, second, micro, fsp, type);
    const day = Math.min(this.day, lastDayOfMonth(year, month + 1));
    return pack(year, month + 1, day, hour, minute, second, micro, fsp, type);
  }

  /**
   * Days from `other` to this value, by date only (DATEDIFF); null when either has a zero month
   * or day or is not a real date.
   */
  dateDiff(other: Time): number | null {
    if (this.invalidZero() || other.invalidZero()) return null;
    if (!isValidDate(this.year, this.month, this.day) || !isValidDate(other.year, other.month, other.day))
      return null;
    return daysFromCivil(this.year, this.month, this.day) - daysFromCivil(other.year, other.month, other.day);
  }

  /**
   * `this - other` in nanoseconds, by the fields (MySQL day numbers, so partial dates count too;
   * zones are not consulted). Exact while the magnitude is below 2^53 ns (about 104 days);
   * larger differences are the nearest double, which keeps sign and order (callers clamp to the
   * TIME range anyway).
   */
  diffNanos(other: Time): number {
    const secs =
      (this.daynr() - other.daynr()) * SECONDS_PER_DAY +
      (this.hour - other.hour) * 3600 +
      (this.minute - other.minute) * 60 +
      (this.second - other.second);
    const micros = this.micro - other.micro;
    if (Math.abs(secs) < 9_000_000) return secs * NANOS_PER_SEC + micros * 1000;
    // Beyond 2^53 ns: one correctly rounded conversion instead of two roundings.
    return Number(BigInt(secs) * 1_000_000_000n + BigInt(micros * 1000));
  }

  // ---- time zones ------------------------------------------------------------------------

  /**
   * The Unix second (UTC) of this value's fields read as wall-clock time in `tz`; null when the
   * fields are not a real date and time, or the wall time does not exist in `tz` (a DST gap).
   * An ambiguous wall time (DST overlap) gives the earlier instant, as TiKV (chrono `earliest`).
   */
  toUnixSeconds(tz: TimeZone): number | null {
    return this.#utcSeconds(tz);
  }

  /**
   * The same instant seen in another zone: the fields are read as wall time in `from` and
   * rewritten as wall time in `to` (type and fsp kept). Null when they are not a real time in
   * `from` (invalid date, DST gap) or the result leaves years 0..9999.
   */
  convertTimeZone(from: TimeZone, to: TimeZone): Time | null {
    const utc = this.#utcSeconds(from);
    if (utc === null) return null;
    const local = to.utcToLocal(utc);
    const days = Math.floor(local / SECONDS_PER_DAY);
    const tod = local - days * SECONDS_PER_DAY;
    civilFromDays(days, ymd);
    if (ymd[0] < 0 || ymd[0] > 9999) return null;
    const micro = this.micro % MICROS_PER_SEC;
    return pack(
      ymd[0],
      ymd[1],
      ymd[2],
      Math.floor(tod / 3600),
      Math.floor(tod / 60) % 60,
      tod % 60,
      micro,
      this.fsp,
      this.type,
    );
  }

  /** Seconds since 1970-01-01 00:00 of the fields as naive wall time; null if not a real time. */
  #naiveSeconds(): number | null {
    return naiveSeconds(this.year, this.month, this.day, this.hour, this.minute, this.second, this.micro);
  }

  #utcSeconds(tz: TimeZone): number | null {
    const local = this.#naiveSeconds();
    return local === null ? null : tz.localToUtc(local);
  }

  // ---- packed storage form ---------------------------------------------------------------

  /**
   * The packed u64 TiDB's datum and row codecs store (`((ymd << 17 | hms) << 24) | micro` with
   * `ymd = (year * 13 + month) << 5 | day`, `hms = hour << 12 | minute << 6 | second`). The zero
   * value packs to 0. A TIMESTAMP is converted from the session zone (`ctx`, UTC without one) to
   * UTC first; one that is not a real time there is `Data Truncated`.
   */
  toPackedU64(ctx?: EvalContext): bigint {
    if (this.isZero()) return 0n;
    let { year, month, day, hour, minute, second, micro } = this;
    if (this.type === TimeType.Timestamp && ctx !== undefined) {
      const utc = this.#utcSeconds(ctx.timeZone);
      if (utc === null) throw EvalError.truncated();
      const days = Math.floor(utc / SECONDS_PER_DAY);
      const tod = utc - days * SECONDS_PER_DAY;
      civilFromDays(days, ymd);
      [year, month, day] = ymd;
      hour = Math.floor(tod / 3600);
      minute = Math.floor(tod / 60) % 60;
      second = tod % 60;
      micro %= MICROS_PER_SEC;
    } else if (
      this.type === TimeType.Timestamp &&
      naiveSeconds(year, month, day, hour, minute, second, micro) === null
    ) {
      throw EvalError.truncated();
    }
    const ymdPart = (year * 13 + month) * 32 + day;
    const ymdhms = ymdPart * TWO_POW_17 + ((hour << 12) | (minute << 6) | second);
    const lo = (ymdhms % 256) * TWO_POW_24 + micro;
    const hi = Math.floor(ymdhms / 256);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /**
   * Reads the packed u64 storage form (see {@link toPackedU64}) as a value of `type` and `fsp`
   * (a column's FieldType `tp` and `decimal`; -1 means 0). 0 is the zero value, checked against
   * the sql mode. A TIMESTAMP is stored in UTC and converted to the session zone of `ctx` (UTC
   * without one); DATE and DATETIME bits are taken as they are.
   */
  static fromPackedU64(ctx: EvalContext | undefined, packed: bigint, type: TimeType, fsp: number): Time {
    return Time.fromPackedWords(
      ctx,
      Number(packed & 0xffff_ffffn),
      Number((packed >> 32n) & 0xffff_ffffn),
      type,
      fsp,
    );
  }

  /** {@link fromPackedU64} with the u64 given as two unsigned 32-bit words (no BigInt). */
  static fromPackedWords(
    ctx: EvalContext | undefined,
    lo: number,
    hi: number,
    type: TimeType,
    fsp: number,
  ): Time {
    lo >>>= 0;
    hi >>>= 0;
    if (lo === 0 && hi === 0) {
      const c = ctx ?? defaultContext();
      return orIncorrect(
        checkedTime(c, 0, 0, 0, 0, 0, 0, 0, fsp, type),
        uncheckedText(0, 0, 0, 0, 0, 0, 0, fsp, type),
      );
    }
    const f = checkFsp(fsp);
    const micro = lo % TWO_POW_24;
    const ymdhms = hi * 256 + Math.floor(lo / TWO_POW_24);
    const hms = ymdhms % TWO_POW_17;
    const ymdPart = Math.floor(ymdhms / TWO_POW_17);
    const day = ymdPart % 32;
    const ym = Math.floor(ymdPart / 32);
    const month = ym % 13;
    const year = Math.floor(ym / 13);
    const second = hms & 0x3f;
    const minute = (hms >>> 6) & 0x3f;
    const hour = hms >>> 12;
    if (type !== TimeType.Timestamp) return pack(year, month, day, hour, minute, second, micro, f, type);
    const utc = naiveSeconds(year, month, day, hour, minute, second, micro);
    if (utc === null) throw EvalError.truncated();
    const c = ctx ?? defaultContext();
    const t = timeFromLocalSeconds(c, c.timeZone.utcToLocal(utc), micro % MICROS_PER_SEC, type, f);
    return orIncorrect(t, uncheckedText(year, month, day, hour, minute, second, micro, f, type));
  }

  // ---- construction ----------------------------------------------------------------------

  /**
   * A checked value from fields (TiKV `Time::new`): zero dates, zero parts and invalid dates
   * follow the sql mode (NO_ZERO_DATE, NO_ZERO_IN_DATE, ALLOW_INVALID_DATES, strict mode) and may
   * become 0000-00-00 with a warning; a TIMESTAMP must exist in the session zone and lie within
   * 1970-01-01 00:00:00 .. 2038-01-19 03:14:07 UTC. Otherwise throws `Incorrect datetime value`
   * (1292). A DATE drops the clock fields.
   */
  static fromFields(ctx: EvalContext, fields: TimeFields, type: TimeType, fsp: number): Time {
    const { year, month, day, hour, minute, second, micro } = fields;
    const t = checkedTime(ctx, year, month, day, hour, minute, second, micro, fsp, type);
    return orIncorrect(t, uncheckedText(year, month, day, hour, minute, second, micro, fsp, type));
  }

  /** The zero value of a type, checked against the sql mode (NO_ZERO_DATE). */
  static zero(ctx: EvalContext, fsp: number, type: TimeType): Time {
    return Time.fromFields(ctx, ZERO_FIELDS, type, fsp);
  }

  /** The DATE of a MySQL day number (`FROM_DAYS`); out-of-range numbers give 0000-00-00. */
  static fromDays(ctx: EvalContext, dayNumber: number): Time {
    dateFromDaynr(dayNumber, ymd);
    return Time.fromFields(
      ctx,
      { ...ZERO_FIELDS, year: ymd[0], month: ymd[1], day: ymd[2] },
      TimeType.Date,
      0,
    );
  }

  /**
   * The value at Unix time `seconds` + `nanos` in the session zone, rounded half up to `fsp`
   * digits and then checked (TiKV `from_unixtime`).
   */
  static fromUnixTime(ctx: EvalContext, seconds: number, nanos: number, type: TimeType, fsp: number): Time {
    const f = checkFsp(fsp);
    let sec = seconds;
    const span = TEN_POW[9 - f];
    let ns = nanos;
    const down = ns % span;
    if (down > 0) ns = span - down <= down ? ns + (span - down) : ns - down;
    if (ns >= NANOS_PER_SEC) {
      ns -= NANOS_PER_SEC;
      sec += 1;
    }
    const local = ctx.timeZone.utcToLocal(sec);
    const t = timeFromLocalSeconds(ctx, local, Math.floor(ns / 1000), type, f);
    return orIncorrect(t, `${seconds}.${nanos}`);
  }

  // ---- parsing ---------------------------------------------------------------------------

  /**
   * Parses text as MySQL does (TiKV `Time::parse`): `YYYY-MM-DD[ HH:MM:SS[.f…]]` with any ASCII
   * punctuation runs as separators, white space or `T` between date and time, one- or two-digit
   * parts, two-digit years (00-69 → 20xx, 70-99 → 19xx), digit strings `YYYYMMDD[HHMMSS]` /
   * `YYMMDD[HHMMSS]` (also 5..12 digits), a fraction after `.` cut or (with `round`) rounded to
   * `fsp` with carry, and a zone suffix `Z`, `±HH`, `±HHMM`, `±HH:MM` (the value is converted to
   * the session zone). The result is checked as {@link fromFields}. Any failure throws
   * `Incorrect datetime value: '<input>'` (1292); an invalid fsp throws 1105.
   */
  static parse(ctx: EvalContext, input: string, type: TimeType, fsp: number, round: boolean): Time {
    const f = checkFsp(fsp);
    return orIncorrect(parseText(ctx, input, type, f, round), input);
  }

  /**
   * {@link parse} guessing the type from the shape: one digit group of 5, 6 or 8 digits, or three
   * groups, is a DATE; anything else a DATETIME.
   */
  static parseWithoutType(ctx: EvalContext, input: string, fsp: number, round: boolean): Time {
    const f = checkFsp(fsp);
    return orIncorrect(parseText(ctx, input, null, f, round), input);
  }

  /** {@link parse} as a DATETIME. */
  static parseDatetime(ctx: EvalContext, input: string, fsp: number, round: boolean): Time {
    return Time.parse(ctx, input, TimeType.DateTime, fsp, round);
  }

  /** {@link parse} as a DATE (fsp 0, the fraction ignored). */
  static parseDate(ctx: EvalContext, input: string): Time {
    return Time.parse(ctx, input, TimeType.Date, 0, false);
  }

  /** {@link parse} as a TIMESTAMP: the text is wall time in the session zone. */
  static parseTimestamp(ctx: EvalContext, input: string, fsp: number, round: boolean): Time {
    return Time.parse(ctx, input, TimeType.Timestamp, fsp, round);
  }

  /**
   * An integer read as MySQL does (TiKV `parse_from_i64`): 0 is the zero value; YYMMDD (101 ..
   * 991231), YYYYMMDD (991232 .. 99991231), YYMMDDHHMMSS and YYYYMMDDHHMMSS (from 10^12), two-digit
   * years as in {@link parse}. Other numbers, and invalid results, throw `Incorrect datetime value`.
   */
  static fromI64(ctx: EvalContext, input: number | bigint, type: TimeType, fsp: number): Time {
    const f = checkFsp(fsp);
    return orIncorrect(timeFromI64(ctx, input, type, f), String(input));
  }

  /**
   * {@link fromI64} choosing the type: DATE below 101_000_000 (and for 0), DATETIME from there;
   * fsp 0 (TiKV `parse_from_i64_default`).
   */
  static fromI64Default(ctx: EvalContext, input: number | bigint): Time {
    return orIncorrect(timeFromI64Default(ctx, input), String(input));
  }

  /**
   * A DOUBLE read as MySQL does (TiKV `parse_from_real`): its shortest decimal text (as Rust
   * prints it, never with an exponent) is read as digits `.` fraction; the integer part as in
   * {@link fromI64}, the fraction only when the integer part has 9..14 digits.
   */
  static fromReal(ctx: EvalContext, input: number, type: TimeType, fsp: number, round: boolean): Time {
    const f = checkFsp(fsp);
    const text = rustF64String(input);
    return orIncorrect(timeFromFloatString(ctx, text, type, f, round), text);
  }

  /**
   * A DECIMAL read as MySQL does (TiKV `parse_from_decimal`), given as its canonical text (what
   * the Decimal type prints: no leading zeros, `-` sign); as {@link fromReal}.
   */
  static fromDecimalText(ctx: EvalContext, text: string, type: TimeType, fsp: number, round: boolean): Time {
    const f = checkFsp(fsp);
    return orIncorrect(timeFromFloatString(ctx, text, type, f, round), text);
  }

  /**
   * A DOUBLE with the type chosen as {@link fromI64Default}; a DATETIME gets fsp 6 and the
   * fraction rounded to microseconds (TiKV `parse_from_real_default`).
   */
  static fromRealDefault(ctx: EvalContext, input: number): Time {
    // Rust's saturating `as i64`: NaN is 0, out-of-range values stick to the bounds.
    const int = Number.isNaN(input) ? 0 : Math.trunc(input);
    let intArg: number | bigint = int;
    if (!Number.isSafeInteger(int)) {
      if (int >= 9.223372036854776e18) intArg = I64_MAX;
      else if (int <= -9.223372036854776e18) intArg = -I64_MAX - 1n;
      else intArg = BigInt(int);
    }
    const t = timeFromI64Default(ctx, intArg);
    if (t === null) throw EvalError.incorrectDatetimeValue(rustF64String(input));
    if (t.type !== TimeType.DateTime) return t;
    const micro = Math.round((input - int) * MICROS_PER_SEC);
    return t.#withFspAndMicro(MAX_FSP, micro);
  }

  /**
   * A DECIMAL (canonical text) with the type chosen as {@link fromI64Default}; a DATETIME gets
   * fsp = min(6, fraction digits) and the fraction cut to microseconds (TiKV
   * `parse_from_decimal_default`).
   */
  static fromDecimalTextDefault(ctx: EvalContext, text: string): Time {
    const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (m === null || (m[2] === "" && (m[3] ?? "") === "")) throw EvalError.incorrectDatetimeValue(text);
    const intText = m[2] === "" ? "0" : m[2];
    const fracText = m[3] ?? "";
    let int = BigInt(intText);
    if (int > I64_MAX) throw EvalError.incorrectDatetimeValue(text);
    if (m[1] === "-") int = -int;
    const t = timeFromI64Default(ctx, int);
    if (t === null) throw EvalError.incorrectDatetimeValue(text);
    const fsp = Math.min(MAX_FSP, fracText.length);
    if (t.type === TimeType.Date) return t;
    if (fsp === 0) return t.withFsp(0);
    const micro = Number(fracText.slice(0, 6).padEnd(6, "0"));
    return t.#withFspAndMicro(fsp, micro);
  }

  #withFspAndMicro(fsp: number, micro: number): Time {
    const lo = ((this.#lo & 0xff00_0001) | ((micro & 0xfffff) << 4) | (fsp << 1)) >>> 0;
    return new Time(lo, this.#hi);
  }
}

/**
 * Orders two values given as layout words (as stored in a column), like {@link Time.compare}:
 * chronological by year, month, day, hour, minute, second, micro; the fsp/type bits (3..0) are
 * ignored, as in TiKV's `Ord`. Returns -1, 0 or 1. No allocation.
 */
export function compareTimeWords(aLo: number, aHi: number, bLo: number, bHi: number): number {
  // Written without data-dependent branches: on unordered data a mispredicted branch costs more
  // than the whole comparison (5x in bench/kernels.bench.ts). Differences of uint32 are exact.
  const dh = (aHi >>> 0) - (bHi >>> 0);
  const d = dh !== 0 ? dh : (aLo >>> 4) - (bLo >>> 4);
  return +(d > 0) - +(d < 0);
}

const ZERO_FIELDS: TimeFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, micro: 0 };

let defaultCtx: EvalContext | undefined;
/**
 * A plain UTC context for the packed codec when the caller has no session. With no sql mode set
 * the checks never warn, so sharing it is safe.
 */
function defaultContext(): EvalContext {
  defaultCtx ??= new EvalContext();
  return defaultCtx;
}

/** "00" .. "99" (fields are at most 63). */
const D2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function pad4(n: number): string {
  return n >= 1000 ? String(n) : n >= 100 ? `0${n}` : n >= 10 ? `00${n}` : `000${n}`;
}

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : "0".repeat(width - s.length) + s;
}

/** Builds a value from fields, each cut to its bit width as TiKV's bitfield setters do. */
function pack(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  micro: number,
  fsp: number,
  type: TimeType,
): Time {
  const fspTt =
    type === TimeType.Date
      ? FSP_TT_DATE
      : (Math.min(fsp, MAX_FSP) << 1) | (type === TimeType.Timestamp ? 1 : 0);
  const m = minute & 0x3f;
  const hi =
    ((year & 0x3fff) * 262_144 +
      (month & 0xf) * 16_384 +
      (day & 0x1f) * 512 +
      (hour & 0x1f) * 16 +
      (m >>> 2)) >>>
    0;
  const lo = (((m & 3) << 30) | ((second & 0x3f) << 24) | ((micro & 0xfffff) << 4) | fspTt) >>> 0;
  return Time.fromWords(lo, hi);
}

/** TiKV's text of an unchecked value, used in `Incorrect datetime value` messages. */
function uncheckedText(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  micro: number,
  fsp: number,
  type: TimeType,
): string {
  const f = fsp < 0 || fsp > MAX_FSP ? MAX_FSP : fsp;
  return pack(year, month, day, hour, minute, second, micro, f, type).toString();
}

function orIncorrect(t: Time | null, text: string): Time {
  if (t === null) throw EvalError.incorrectDatetimeValue(text);
  return t;
}

/** Seconds since 1970-01-01 of a naive date-time; null unless it is a real date and clock. */
function naiveSeconds(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  micro: number,
): number | null {
  if (!isValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  return (
    daysFromCivil(year, month, day) * SECONDS_PER_DAY +
    hour * 3600 +
    minute * 60 +
    second +
    Math.floor(micro / MICROS_PER_SEC)
  );
}

function weekdayBaseDays(year: number, month: number): number {
  return month === 0 ? daysFromCivil(year - 1, 12, 1) : daysFromCivil(year, month, 1);
}

/** A checked value from naive seconds since 1970 (wall time) and microseconds. */
function timeFromLocalSeconds(
  ctx: EvalContext,
  local: number,
  micro: number,
  type: TimeType,
  fsp: number,
): Time | null {
  const days = Math.floor(local / SECONDS_PER_DAY);
  const tod = local - days * SECONDS_PER_DAY;
  civilFromDays(days, ymd);
  return checkedTime(
    ctx,
    ymd[0],
    ymd[1],
    ymd[2],
    Math.floor(tod / 3600),
    Math.floor(tod / 60) % 60,
    tod % 60,
    micro,
    fsp,
    type,
  );
}

// ---- sql-mode checks (TiKV TimeArgs::check and handle_*) ------------------------------------

/**
 * TiKV's rule for a zero date under NO_ZERO_DATE: an error in strict mode unless truncation is
 * ignored, else a `Data Truncated` warning and the zero value. No EvalContext helper has exactly
 * this rule (it warns even under IgnoreTruncate), so it is spelled out here.
 */
function zeroDateOutcome(ctx: EvalContext): number {
  if (!ctx.hasSqlMode(SqlMode.NoZeroDate)) return KEEP;
  if (ctx.isStrict() && !ctx.hasFlag(EvalFlag.IgnoreTruncate)) return FAIL;
  ctx.warnings.add(EvalError.truncated());
  return ZERO;
}

function zeroInDateOutcome(ctx: EvalContext): number {
  if (!ctx.hasSqlMode(SqlMode.NoZeroInDate)) return KEEP;
  if (ctx.isStrict() && !ctx.hasFlag(EvalFlag.IgnoreTruncate)) return FAIL;
  ctx.warnings.add(EvalError.truncated());
  const r = zeroDateOutcome(ctx);
  return r === KEEP ? KEEP_CLEARED : r;
}

function invalidDateOutcome(ctx: EvalContext): number {
  if (!ctx.hasSqlMode(SqlMode.InvalidDates)) return FAIL;
  const r = zeroDateOutcome(ctx);
  return r === KEEP ? KEEP_CLEARED : r;
}

function checkDate(ctx: EvalContext, year: number, month: number, day: number, allZero: boolean): number {
  let r = KEEP;
  if (allZero) {
    r = zeroDateOutcome(ctx);
    if (r !== KEEP) return r;
  }
  if (month === 0 || day === 0) {
    r = zeroInDateOutcome(ctx);
    if (r === ZERO || r === FAIL) return r;
  }
  const relaxed = ctx.hasSqlMode(SqlMode.InvalidDates);
  if (year < 0 || year > 9999 || month > 12 || day > 31 || (!relaxed && day > lastDayOfMonth(year, month))) {
    return invalidDateOutcome(ctx);
  }
  return r;
}

/**
 * TiKV `Time::new`: checks the fields against the sql mode and the type and builds the value,
 * or returns null (the caller raises `Incorrect datetime value`).
 */
function checkedTime(
  ctx: EvalContext,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  micro: number,
  fsp: number,
  type: TimeType,
): Time | null {
  let f = fsp;
  if (f === -1) f = DEFAULT_FSP;
  else if (!Number.isInteger(f) || f < 0 || f > MAX_FSP) return null;
  const allZero =
    year === 0 && month === 0 && day === 0 && hour === 0 && minute === 0 && second === 0 && micro === 0;
  let r: number;
  if (type === TimeType.Timestamp) {
    if (allZero) {
      r = zeroDateOutcome(ctx);
    } else {
      r = KEEP;
      const local =
        year < 0 || year > 9999 ? null : naiveSeconds(year, month, day, hour, minute, second, micro);
      const utc = local === null ? null : ctx.timeZone.localToUtc(local);
      if (utc === null || utc < MIN_TIMESTAMP || utc > MAX_TIMESTAMP) r = invalidDateOutcome(ctx);
    }
  } else {
    r = checkDate(ctx, year, month, day, allZero);
    if (r === KEEP && (hour > 23 || minute > 59 || second > 59 || micro > 999_999))
      r = invalidDateOutcome(ctx);
  }
  if (r === FAIL) return null;
  if (r !== KEEP) return pack(0, 0, 0, 0, 0, 0, 0, f, type);
  if (type === TimeType.Date) return pack(year, month, day, 0, 0, 0, 0, 0, type);
  return pack(year, month, day, hour, minute, second, micro, f, type);
}

function checkedPartsTime(ctx: EvalContext, parts: number[], type: TimeType, fsp: number): Time | null {
  return checkedTime(ctx, parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], fsp, type);
}

// ---- parsing (TiKV mod parser) ----------------------------------------------------------------

function parseText(
  ctx: EvalContext,
  input: string,
  typeOpt: TimeType | null,
  fsp: number,
  round: boolean,
): Time | null {
  const trimmed = rustTrim(input);
  if (trimmed === "") return null;
  const split = splitComponentsWithTz(trimmed);
  if (split === null) return null;
  const comps = split.components;
  const len = comps.length;
  let type: TimeType;
  if (typeOpt !== null) type = typeOpt;
  else if (len === 1) {
    const l = comps[0].length;
    type = l === 8 || l === 6 || l === 5 ? TimeType.Date : TimeType.DateTime;
  } else type = len === 3 ? TimeType.Date : TimeType.DateTime;

  let t: Time | null;
  if (len === 1 || len === 2) {
    const parts = parseWhole(comps[0]);
    if (parts === null) return null;
    if (len === 2) {
      const l = comps[0].length;
      // A fraction only makes sense after yymmddhhmm, yymmddhhmmss or yyyymmddhhmmss.
      if (l !== 10 && l !== 12 && l !== 14) return null;
      const frac = parseFrac(comps[1], fsp, round);
      if (frac === null) return null;
      parts[6] = frac;
    }
    if (parts[6] >= MICROS_PER_SEC && !roundComponents(parts)) return null;
    t = checkedPartsTime(ctx, parts, type, fsp);
  } else if (len >= 3 && len <= 7) {
    const parts = [0, 0, 0, 0, 0, 0, 0];
    const whole = Math.min(len, 6);
    for (let i = 0; i < whole; i++) {
      const v = digitsToU32(comps[i]);
      if (v === null) return null;
      parts[i] = v;
    }
    if (len === 7) {
      const frac = parseFrac(comps[6], fsp, round);
      if (frac === null) return null;
      parts[6] = frac;
    }
    if (comps[0].length === 2 && !parts.every((x) => x === 0)) parts[0] = adjustYear(parts[0]);
    if (parts[6] >= MICROS_PER_SEC && !roundComponents(parts)) return null;
    t = checkedPartsTime(ctx, parts, type, fsp);
  } else {
    return null;
  }
  if (split.tzOffset === null || t === null) return t;
  // Wall time at the given offset, re-read in the session zone.
  const local = naiveSeconds(t.year, t.month, t.day, t.hour, t.minute, t.second, t.micro);
  if (local === null) return null;
  const utc = local - split.tzOffset;
  return timeFromLocalSeconds(ctx, ctx.timeZone.utcToLocal(utc), t.micro % MICROS_PER_SEC, type, fsp);
}

/** TiKV's ranges for reading an integer as a date or date-time, aligned to YYYYMMDDHHMMSS. */
function alignI64(input: number): number | null {
  if (input >= 101 && input <= 691_231) return (input + 20_000_000) * 1_000_000;
  if (input >= 700_101 && input <= 991_231) return (input + 19_000_000) * 1_000_000;
  if (input >= 991_232 && input <= 99_991_231) return input * 1_000_000;
  if (input >= 101_000_000 && input <= 691_231_235_959) return input + 20_000_000_000_000;
  if (input >= 700_101_000_000 && input <= 991_231_235_959) return input + 19_000_000_000_000;
  if (input >= 1_000_000_000_000) return input;
  return null;
}

function timeFromAligned(
  ctx: EvalContext,
  aligned: number | bigint,
  type: TimeType,
  fsp: number,
): Time | null {
  let ymdNum: number;
  let hms: number;
  if (typeof aligned === "bigint") {
    ymdNum = Number((aligned / 1_000_000n) & 0xffff_ffffn);
    hms = Number(aligned % 1_000_000n);
  } else {
    hms = aligned % 1_000_000;
    ymdNum = ((aligned - hms) / 1_000_000) % TWO_POW_32;
  }
  const md = ymdNum % 10_000;
  const ms = hms % 10_000;
  return checkedTime(
    ctx,
    Math.floor(ymdNum / 10_000),
    Math.floor(md / 100),
    md % 100,
    Math.floor(hms / 10_000),
    Math.floor(ms / 100),
    ms % 100,
    0,
    fsp,
    type,
  );
}

/** The integer as a safe number, or as a bigint when it is beyond 2^53 (then at least 10^15). */
function normalizeInt(input: number | bigint): number | bigint | null {
  if (typeof input === "bigint") {
    if (input >= -9_007_199_254_740_991n && input <= 9_007_199_254_740_991n) return Number(input);
    return input;
  }
  return Number.isSafeInteger(input) ? input : null;
}

function alignedOf(input: number | bigint): number | bigint | null {
  if (typeof input === "bigint") return input > 0n && input <= I64_MAX ? input : null;
  return alignI64(input);
}

function timeFromI64(ctx: EvalContext, raw: number | bigint, type: TimeType, fsp: number): Time | null {
  const input = normalizeInt(raw);
  if (input === null) return null;
  if (input === 0) return checkedTime(ctx, 0, 0, 0, 0, 0, 0, 0, fsp, type);
  const aligned = alignedOf(input);
  return aligned === null ? null : timeFromAligned(ctx, aligned, type, fsp);
}

function timeFromI64Default(ctx: EvalContext, raw: number | bigint): Time | null {
  const input = normalizeInt(raw);
  if (input === null) return null;
  if (input === 0) return checkedTime(ctx, 0, 0, 0, 0, 0, 0, 0, DEFAULT_FSP, TimeType.Date);
  const aligned = alignedOf(input);
  if (aligned === null) return null;
  const type = input >= 101_000_000 ? TimeType.DateTime : TimeType.Date;
  return timeFromAligned(ctx, aligned, type, DEFAULT_FSP);
}

function timeFromFloatString(
  ctx: EvalContext,
  input: string,
  type: TimeType,
  fsp: number,
  round: boolean,
): Time | null {
  const split = splitComponentsWithTz(input);
  if (split === null) return null;
  const comps = split.components;
  if (comps.length !== 1 && comps.length !== 2) return null;
  const c0 = comps[0];
  let int: number | bigint;
  if (c0.length <= 15) int = Number(c0);
  else {
    int = BigInt(c0);
    if (int > I64_MAX) return null;
  }
  const whole = timeFromI64(ctx, int, type, fsp);
  if (whole === null) return null;
  if (whole.isZero()) {
    if (zeroDateOutcome(ctx) !== KEEP) return null;
    return checkedTime(ctx, 0, 0, 0, 0, 0, 0, 0, fsp, type);
  }
  const parts = [whole.year, whole.month, whole.day, whole.hour, whole.minute, whole.second, 0];
  if (comps.length === 2 && c0.length >= 9 && c0.length <= 14) {
    const frac = parseFrac(comps[1], fsp, round);
    if (frac === null) return null;
    parts[6] = frac;
  }
  if (parts[6] >= MICROS_PER_SEC && !roundComponents(parts)) return null;
  return checkedPartsTime(ctx, parts, type, fsp);
}

/**
 * A double as Rust's `Display` prints it: shortest round-trip digits, never an exponent, `-0`
 * for negative zero, `NaN`, `inf`.
 */
export function rustF64String(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (Object.is(x, -0)) return "-0";
  const s = String(x);
  const e = s.indexOf("e");
  if (e < 0) return s;
  let mant = s.slice(0, e);
  const exp = Number(s.slice(e + 1));
  const neg = mant.startsWith("-");
  if (neg) mant = mant.slice(1);
  const dot = mant.indexOf(".");
  const digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  const intLen = (dot < 0 ? mant.length : dot) + exp;
  let out: string;
  if (intLen <= 0) out = `0.${"0".repeat(-intLen)}${digits}`;
  else if (intLen >= digits.length) out = digits + "0".repeat(intLen - digits.length);
  else out = `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  return neg ? `-${out}` : out;
}
