// Splitting DATE/DATETIME/TIMESTAMP text into numeric components (no validation of the values).
// Rules of TiKV components/tidb_query_datatype/src/codec/mysql/time/mod.rs, `mod parser`.

import { roundFrac, TEN_POW } from "./core.js";

const MICRO_WIDTH = 6;
const U32_MAX = 4_294_967_295;

/** The digit groups of a time string and the time zone suffix, if any (seconds east of UTC). */
export interface SplitTime {
  components: string[];
  tzOffset: number | null;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Rust's `u8::is_ascii_whitespace`: space, \t, \n, \f, \r (not \v). */
function isAsciiWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

/** Rust's `u8::is_ascii_punctuation`. */
function isAsciiPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/** Unicode White_Space, which Rust's `str::trim` removes (JavaScript's trim differs slightly). */
function isUnicodeWhitespace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
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

/** Trims Unicode white space from both ends, as Rust's `str::trim`. */
export function rustTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isUnicodeWhitespace(s.charCodeAt(start))) start++;
  while (end > start && isUnicodeWhitespace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * A string of ASCII digits as an unsigned 32-bit number; null for any other character or on
 * overflow. The empty string is 0.
 */
export function digitsToU32(s: string): number | null {
  let acc = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return null;
    acc = acc * 10 + (c - 48);
    if (acc > U32_MAX) return null;
  }
  return acc;
}

/**
 * Splits trimmed, non-empty text into digit groups and reads an ISO 8601 / MySQL time zone
 * suffix (`Z`, `+08`, `+0800`, `+08:00`). Null when the text is not shaped like a time.
 */
export function splitComponentsWithTz(input: string): SplitTime | null {
  const components: string[] = [];
  const separators: string[] = [];
  const n = input.length;
  let pos = 0;
  while (pos < n) {
    const start = pos;
    while (pos < n && isDigit(input.charCodeAt(pos))) pos++;
    if (pos === start) return null;
    components.push(input.slice(start, pos));
    if (pos < n) {
      const c = input.charCodeAt(pos);
      if (isAsciiWhitespace(c)) {
        // White space may only follow the date part.
        if (components.length !== 3) return null;
        const s = pos;
        while (pos < n && isAsciiWhitespace(input.charCodeAt(pos))) pos++;
        if (pos === n) return null;
        separators.push(input.slice(s, pos));
      } else if (c === 84 /* T */) {
        if (components.length !== 3) return null;
        separators.push("T");
        pos++;
      } else if (c === 90 /* Z */) {
        if (components.length !== 6 && components.length !== 7) return null;
        separators.push("Z");
        pos++;
      } else if (isAsciiPunct(c)) {
        // Runs of punctuation are one separator: MySQL reads `2020--12..16T18::58^^45`.
        const s = pos;
        while (pos < n && isAsciiPunct(input.charCodeAt(pos))) pos++;
        if (pos === n) return null;
        separators.push(input.slice(s, pos));
      } else {
        return null;
      }
    }
  }

  let hasTz = false;
  let tzSign = "";
  let tzHour = "";
  let tzMinute = "";
  switch (components.length) {
    case 9: {
      // 2020-12-23 15:59:23.233333+08:00
      if (separators.length !== 8) return null;
      const [a, b] = [separators[6], separators[7]];
      if ((a === "+" || a === "-") && b === ":") {
        hasTz = true;
        tzSign = a;
        tzMinute = components.pop() as string;
        tzHour = components.pop() as string;
      } else {
        return null;
      }
      break;
    }
    case 8: {
      // 2020-12-23 15:59:23.2333-08, 2020-12-23 15:59:23.2333-0800, 2020-12-23 15:59:23+08:00
      if (separators.length !== 7) return null;
      const [a, b] = [separators[5], separators[6]];
      if (a === "." && (b === "-" || b === "+")) {
        hasTz = true;
        tzSign = b;
        tzHour = components.pop() as string;
      } else if ((a === "+" || a === "-") && b === ":") {
        hasTz = true;
        tzSign = a;
        tzMinute = components.pop() as string;
        tzHour = components.pop() as string;
      } else {
        return null;
      }
      break;
    }
    case 7:
      // 2020-12-23 15:59:23.23333Z, 2020-12-23 15:59:23+0800, 2020-12-23 15:59:23-08
      if (separators.length === 7) {
        if (separators[6] !== "Z") return null;
        hasTz = true;
      } else if (separators.length === 6) {
        tzSign = separators[5];
        if (tzSign === "+" || tzSign === "-") {
          hasTz = true;
          tzHour = components.pop() as string;
        }
      } else {
        return null;
      }
      break;
    case 6:
      // 2020-12-23 15:59:23Z
      if (separators.length === 6 && separators[5] === "Z") hasTz = true;
      break;
  }

  let tzOffset = 0;
  if (hasTz) {
    if (tzHour.length === 4) {
      tzMinute = tzHour.slice(2);
      tzHour = tzHour.slice(0, 2);
    }
    if (!((tzHour.length === 2 || tzHour.length === 0) && (tzMinute.length === 2 || tzMinute.length === 0))) {
      return null;
    }
    const dh = digitsToU32(tzHour);
    const dm = digitsToU32(tzMinute);
    if (dh === null || dm === null) return null;
    if (dh > 14 || dm > 59 || (dh === 14 && dm !== 0) || (tzSign === "-" && dh === 0 && dm === 0))
      return null;
    tzOffset = (dh * 60 + dm) * 60;
    if (tzSign === "-") tzOffset = -tzOffset;
  }
  // A fractional part must follow a dot.
  const len = components.length;
  if ((len === 7 || len === 2) && separators[len - 2] !== ".") return null;
  return { components, tzOffset: hasTz ? tzOffset : null };
}

/** A two-digit year: 00..69 are 2000..2069, 70..99 are 1970..1999; others unchanged. */
export function adjustYear(year: number): number {
  if (year <= 69) return 2000 + year;
  if (year <= 99) return 1900 + year;
  return year;
}

/**
 * Reads an all-digit date/datetime without separators into `[year, month, day, hour, minute,
 * second, 0]`. Lengths 8 and 14 have a four-digit year, 5..7 and 9..12 a two-digit one, and the
 * rest is taken two digits at a time (the last group may be one digit). Null for other lengths.
 */
export function parseWhole(input: string): number[] | null {
  let yearDigits: number;
  const len = input.length;
  if (len === 14 || len === 8) yearDigits = 4;
  else if ((len >= 9 && len <= 12) || (len >= 5 && len <= 7)) yearDigits = 2;
  else return null;
  const parts = [0, 0, 0, 0, 0, 0, 0];
  const year = digitsToU32(input.slice(0, yearDigits));
  if (year === null) return null;
  parts[0] = yearDigits === 2 ? adjustYear(year) : year;
  let i = 1;
  for (let p = yearDigits; p < len; p += 2) {
    const v = digitsToU32(input.slice(p, p + 2));
    if (v === null) return null;
    parts[i++] = v;
  }
  return parts;
}

/**
 * Reads fractional digits as micro-seconds, keeping `fsp` digits (or `fsp + 1`, then rounding,
 * when `round`). Returns the micro-seconds (1_000_000 or more means a carry into the seconds) or
 * null for non-digits.
 */
export function parseFrac(input: string, fsp: number, round: boolean): number | null {
  let digits = input;
  if (fsp < input.length) digits = input.slice(0, fsp + (round ? 1 : 0));
  const v = digitsToU32(digits);
  if (v === null) return null;
  const frac = v * TEN_POW[Math.max(0, MICRO_WIDTH - digits.length)];
  return round ? roundFrac(frac, fsp) : frac;
}
