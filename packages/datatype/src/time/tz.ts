// Time zones for TIMESTAMP conversion and the EvalContext.
// Behaviour of TiKV components/tidb_query_datatype/src/codec/mysql/time/tz.rs: a zone is a fixed
// offset, an IANA name (DST-correct), or the process's local zone ("System").

import { EvalError } from "../errors.js";

const SECONDS_PER_DAY = 86_400;

/** A time zone: a fixed UTC offset, an IANA zone, or the local zone of the process. */
export class TimeZone {
  /** `"offset"`, `"name"` or `"local"`. */
  readonly kind: "offset" | "name" | "local";
  /** The IANA name (`"Asia/Shanghai"`), `"+08:00"` style text for offsets, or `"System"`. */
  readonly name: string;
  /** The fixed offset in seconds east of UTC, for kind `"offset"`; 0 otherwise. */
  readonly fixedOffset: number;
  #fmt: Intl.DateTimeFormat | undefined;

  private constructor(kind: "offset" | "name" | "local", name: string, fixedOffset: number) {
    this.kind = kind;
    this.name = name;
    this.fixedOffset = fixedOffset;
  }

  static #utc: TimeZone | undefined;

  /** UTC, the default zone of an EvalContext. */
  static utc(): TimeZone {
    TimeZone.#utc ??= new TimeZone("name", "UTC", 0);
    return TimeZone.#utc;
  }

  /**
   * A fixed offset in seconds east of UTC, strictly within one day either way. Anything else is
   * MySQL error 1298 (unknown or incorrect time zone).
   */
  static fromOffset(seconds: number): TimeZone {
    if (!Number.isInteger(seconds) || seconds <= -SECONDS_PER_DAY || seconds >= SECONDS_PER_DAY) {
      throw EvalError.invalidTimezone(`offset ${seconds}s`);
    }
    const sign = seconds < 0 ? "-" : "+";
    const abs = Math.abs(seconds);
    const hh = String(Math.floor(abs / 3600)).padStart(2, "0");
    const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, "0");
    const ss = abs % 60;
    const text = `${sign}${hh}:${mm}${ss === 0 ? "" : `:${String(ss).padStart(2, "0")}`}`;
    return new TimeZone("offset", text, seconds);
  }

  /**
   * An IANA zone by name (`"Europe/Berlin"`), or `"System"` (any case) for the process's local
   * zone. An unknown name is MySQL error 1298.
   */
  static fromName(name: string): TimeZone {
    if (name.toLowerCase() === "system") return new TimeZone("local", "System", 0);
    if (name === "UTC") return TimeZone.utc();
    let fmt: Intl.DateTimeFormat;
    try {
      fmt = makeFormat(name);
    } catch {
      throw EvalError.invalidTimezone(name);
    }
    const tz = new TimeZone("name", fmt.resolvedOptions().timeZone, 0);
    tz.#fmt = fmt;
    return tz;
  }

  /**
   * The offset of this zone from UTC, in seconds east, at the instant `utcSeconds` (seconds since
   * the Unix epoch, UTC).
   */
  offsetAtUtc(utcSeconds: number): number {
    if (this.kind === "offset") return this.fixedOffset;
    if (this.kind === "name" && this.name === "UTC") return 0;
    const ms = Math.floor(utcSeconds) * 1000;
    if (this.kind === "local") return -new Date(ms).getTimezoneOffset() * 60;
    this.#fmt ??= makeFormat(this.name);
    return zoneOffsetSeconds(this.#fmt, ms);
  }

  toString(): string {
    return this.name;
  }
}

function makeFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    era: "short",
  });
}

function zoneOffsetSeconds(fmt: Intl.DateTimeFormat, utcMs: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of fmt.formatToParts(utcMs)) {
    switch (p.type) {
      case "year":
        year = Number(p.value);
        break;
      case "month":
        month = Number(p.value);
        break;
      case "day":
        day = Number(p.value);
        break;
      case "hour":
        hour = Number(p.value);
        break;
      case "minute":
        minute = Number(p.value);
        break;
      case "second":
        second = Number(p.value);
        break;
      case "era":
        bc = p.value === "BC" || p.value === "B";
        break;
    }
  }
  if (bc) year = 1 - year;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return Math.round((d.getTime() - utcMs) / 1000);
}
