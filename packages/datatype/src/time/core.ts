// Calendar arithmetic and fractional-second rounding shared by the DATE/DATETIME/TIMESTAMP code.
// Rules of TiKV components/tidb_query_datatype/src/codec/mysql/time/mod.rs (helpers at its top).

import { ERR_UNKNOWN, EvalError } from "../errors.js";

/** The largest fractional-second precision (6 digits, microseconds). */
export const MAX_FSP = 6;
/** The smallest fractional-second precision. */
export const MIN_FSP = 0;
/** The precision used when none is given (MySQL's default, 0). */
export const DEFAULT_FSP = 0;
/** The "unspecified" precision a FieldType carries as `decimal = -1`; it means 0. */
export const UNSPECIFIED_FSP = -1;
/** The first second a TIMESTAMP can hold: 1970-01-01 00:00:00 UTC (TiKV allows 0). */
export const MIN_TIMESTAMP = 0;
/** The last second a TIMESTAMP can hold: 2038-01-19 03:14:07 UTC (2^31 - 1). */
export const MAX_TIMESTAMP = 2_147_483_647;

/** Seconds in a day. */
export const SECONDS_PER_DAY = 86_400;
/** Days from 0000-03-01 (proleptic Gregorian) to 1970-01-01. */
const DAYS_0000_03_01_TO_EPOCH = 719_468;

/** 10^0 .. 10^9. */
export const TEN_POW = [
  1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
];

/**
 * Validates a fractional-second precision as TiKV's `check_fsp`: -1 (unspecified) means 0, 0..6
 * are kept, anything else throws `Invalid fsp <n>` (1105).
 */
export function checkFsp(fsp: number): number {
  if (fsp === UNSPECIFIED_FSP) return DEFAULT_FSP;
  if (!Number.isInteger(fsp) || fsp < MIN_FSP || fsp > MAX_FSP) {
    throw new EvalError(`Invalid fsp ${fsp}`, ERR_UNKNOWN);
  }
  return fsp;
}

/** Gregorian leap year (year 0 is a leap year). */
export function isLeapYear(year: number): boolean {
  return (year & 3) === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days in `month` (1..12) of `year`; 31 for any other month number, as TiKV. */
export function lastDayOfMonth(year: number, month: number): number {
  switch (month) {
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    case 2:
      return isLeapYear(year) ? 29 : 28;
    default:
      return 31;
  }
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (any integer year, month 1..12, any day
 * number: day 0 is the last day of the previous month). Exact for every date TiKV handles.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - DAYS_0000_03_01_TO_EPOCH;
}

/**
 * The date `days` after 1970-01-01, written into `out` as [year, month, day] (no allocation on
 * the hot path). Inverse of {@link daysFromCivil}.
 */
export function civilFromDays(days: number, out: number[]): void {
  const z = days + DAYS_0000_03_01_TO_EPOCH;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (month <= 2 ? 1 : 0);
  out[1] = month;
  out[2] = day;
}

/** True if year/month/day form a real calendar date (month 1..12, day 1..last). */
export function isValidDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= lastDayOfMonth(year, month);
}

/**
 * Rounds a fraction (micro-seconds, or 7 digits when it came from a 7-digit input) to `fsp`
 * digits, half up, as TiKV's `round_frac`. Returns the rounded micro-seconds, which is
 * 1_000_000 or more when the rounding carries into the seconds.
 */
export function roundFrac(frac: number, fsp: number): number {
  if (frac < 1_000_000 && fsp === 6) return frac;
  const width = frac >= 1_000_000 ? 7 : 6;
  const mask = TEN_POW[width - fsp - 1];
  return Math.floor((Math.floor(frac / mask) + 5) / 10) * mask * (width === 6 ? 10 : 1);
}

/**
 * Propagates the carry of a rounded fraction through `[year, month, day, hour, minute, second,
 * micro]` in place, as TiKV's `round_components`. Returns false when the carry would run through
 * a zero or out-of-range day or month (MySQL has no answer for those).
 */
export function roundComponents(parts: number[]): boolean {
  const modulus0 = 4_294_967_295;
  const lastDay = lastDayOfMonth(parts[0], parts[1]);
  for (let i = 6; i >= 1; i--) {
    const mod = modulusOf(i, lastDay);
    const isYmd = i < 3 ? 1 : 0;
    if (parts[i] >= mod + isYmd) {
      parts[i] -= mod;
      const prevMod = i - 1 === 0 ? modulus0 : modulusOf(i - 1, lastDay);
      if ((i < 4 && parts[i - 1] === 0) || parts[i - 1] > prevMod) return false;
      parts[i - 1] += 1;
    }
  }
  return true;
}

function modulusOf(i: number, lastDay: number): number {
  switch (i) {
    case 1:
      return 12;
    case 2:
      return lastDay;
    case 3:
      return 24;
    case 4:
    case 5:
      return 60;
    default:
      return 1_000_000;
  }
}

/**
 * Days since year 0 as MySQL counts them (`TO_DAYS`, TiKV `get_daynr`): 0000-00-00 is 0 and
 * 0000-01-01 is 1.
 */
export function daynr(year: number, month: number, day: number): number {
  if (year === 0 && month === 0) return 0;
  let delsum = 365 * year + 31 * (month - 1) + day;
  let y = year;
  if (month <= 2) y -= 1;
  else delsum -= Math.trunc((month * 4 + 23) / 10);
  const temp = Math.trunc(((Math.trunc(y / 100) + 1) * 3) / 4);
  return delsum + Math.trunc(y / 4) - temp;
}

/**
 * The date of a MySQL day number (`FROM_DAYS`, TiKV `get_date_from_daynr`), written into `out`
 * as [year, month, day]; day numbers up to 365 and from 3_652_425 give 0000-00-00.
 */
export function dateFromDaynr(dayNumber: number, out: number[]): void {
  if (dayNumber <= 365 || dayNumber >= 3_652_425) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    return;
  }
  let year = Math.floor((dayNumber * 100) / 36_525);
  const temp = Math.floor(((Math.floor((year - 1) / 100) + 1) * 3) / 4);
  let dayOfYear = dayNumber - year * 365 - Math.floor((year - 1) / 4) + temp;
  let daysInYear = isLeapYear(year) ? 366 : 365;
  while (dayOfYear > daysInYear) {
    dayOfYear -= daysInYear;
    year += 1;
    daysInYear = isLeapYear(year) ? 366 : 365;
  }
  let month = 1;
  for (let m = 1; m <= 12; m++) {
    const last = lastDayOfMonth(year, m);
    if (dayOfYear <= last) break;
    month += 1;
    dayOfYear -= last;
  }
  out[0] = year;
  out[1] = month;
  out[2] = dayOfYear;
}
