// Time zones for TIMESTAMP conversion and the EvalContext.
// Behaviour of TiKV components/tidb_query_datatype/src/codec/mysql/time/tz.rs: a zone is a fixed
// offset, an IANA name (DST-correct), or the process's local zone ("System").

import { EvalError } from "../errors.js";

const SECONDS_PER_DAY = 86_400;
/** Memoised days per zone before the memo is dropped and rebuilt. */
const MAX_CACHED_DAYS = 1 << 16;

/**
 * The offsets of one UTC day: a plain number when the whole day has one offset, or the single
 * change inside it (`at` is the first UTC second with offset `after`).
 */
interface DayTransition {
  at: number;
  before: number;
  after: number;
}

const named = new Map<string, TimeZone>();

/**
 * A time zone: a fixed UTC offset, an IANA zone, or the local zone of the process. Offsets are in
 * whole seconds east of UTC. Lookups for IANA and local zones go through `Intl` once per UTC day
 * and are then memoised on the zone object, so converting a column costs a map lookup per value.
 */
export class TimeZone {
  /** `"offset"`, `"name"` or `"local"`. */
  readonly kind: "offset" | "name" | "local";
  /** The IANA name (`"Asia/Shanghai"`), `"+08:00"` style text for offsets, or `"System"`. */
  readonly name: string;
  /** The fixed offset in seconds east of UTC, for kind `"offset"`; 0 otherwise. */
  readonly fixedOffset: number;
  #fmt: Intl.DateTimeFormat | undefined;
  #days = new Map<number, number | DayTransition>();
  #lastDay = Number.NaN;
  #lastEntry: number | DayTransition = 0;

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
   * zone. An unknown name is MySQL error 1298. Zones are shared per name, so their offset memo
   * serves every context that uses them. Names resolve through `Intl`, which accepts any letter
   * case and aliases (`"Universal"`); `name` is the canonical form `Intl` reports.
   */
  static fromName(name: string): TimeZone {
    if (name.toLowerCase() === "system") {
      const key = "\0system";
      let tz = named.get(key);
      if (tz === undefined) {
        tz = new TimeZone("local", "System", 0);
        try {
          tz.#fmt = makeFormat(new Intl.DateTimeFormat().resolvedOptions().timeZone);
        } catch {
          tz.#fmt = undefined;
        }
        named.set(key, tz);
      }
      return tz;
    }
    if (name === "UTC") return TimeZone.utc();
    const cached = named.get(name);
    if (cached !== undefined) return cached;
    let fmt: Intl.DateTimeFormat;
    try {
      fmt = makeFormat(name);
    } catch {
      throw EvalError.invalidTimezone(name);
    }
    const canonical = fmt.resolvedOptions().timeZone;
    let tz = canonical === "UTC" ? TimeZone.utc() : named.get(canonical);
    if (tz === undefined) {
      tz = new TimeZone("name", canonical, 0);
      tz.#fmt = fmt;
      named.set(canonical, tz);
    }
    named.set(name, tz);
    return tz;
  }

  /** True when the offset never changes (UTC or a fixed offset). */
  get isFixed(): boolean {
    return this.kind === "offset" || this === TimeZone.#utc;
  }

  /**
   * The offset of this zone from UTC, in seconds east, at the instant `utcSeconds` (seconds since
   * the Unix epoch, UTC; a fraction is floored).
   */
  offsetAtUtc(utcSeconds: number): number {
    if (this.kind === "offset") return this.fixedOffset;
    if (this === TimeZone.#utc) return 0;
    const s = Math.floor(utcSeconds);
    const day = Math.floor(s / SECONDS_PER_DAY);
    let entry: number | DayTransition;
    if (day === this.#lastDay) {
      entry = this.#lastEntry;
    } else {
      const found = this.#days.get(day);
      if (found === undefined) {
        entry = this.#computeDay(day);
        if (this.#days.size >= MAX_CACHED_DAYS) this.#days.clear();
        this.#days.set(day, entry);
      } else {
        entry = found;
      }
      this.#lastDay = day;
      this.#lastEntry = entry;
    }
    if (typeof entry === "number") return entry;
    return s < entry.at ? entry.before : entry.after;
  }

  /** The local wall-clock seconds (seconds since 1970-01-01 00:00 local) of an instant. */
  utcToLocal(utcSeconds: number): number {
    return utcSeconds + this.offsetAtUtc(utcSeconds);
  }

  /**
   * The instant (UTC seconds) of a local wall-clock time given as seconds since 1970-01-01 00:00
   * local. When the wall time happens twice (the hour a DST change repeats) the earlier instant
   * is returned; when it never happens (skipped by a DST change) the result is null. This is
   * chrono's `from_local_datetime(..).earliest()`, as TiKV uses it.
   */
  localToUtc(localSeconds: number): number | null {
    if (this.kind === "offset") return localSeconds - this.fixedOffset;
    if (this === TimeZone.#utc) return localSeconds;
    const before = this.offsetAtUtc(localSeconds - SECONDS_PER_DAY);
    const after = this.offsetAtUtc(localSeconds + SECONDS_PER_DAY);
    let best: number | null = null;
    const a = localSeconds - before;
    if (this.offsetAtUtc(a) === before) best = a;
    if (after !== before) {
      const b = localSeconds - after;
      if (this.offsetAtUtc(b) === after && (best === null || b < best)) best = b;
    }
    return best;
  }

  #rawOffset(utcSeconds: number): number {
    const ms = utcSeconds * 1000;
    if (this.#fmt === undefined) {
      if (this.kind === "local") return Math.round(-new Date(ms).getTimezoneOffset() * 60);
      this.#fmt = makeFormat(this.name);
    }
    return zoneOffsetSeconds(this.#fmt, ms);
  }

  #computeDay(day: number): number | DayTransition {
    let lo = day * SECONDS_PER_DAY;
    let hi = lo + SECONDS_PER_DAY - 1;
    const before = this.#rawOffset(lo);
    const after = this.#rawOffset(hi);
    if (before === after) return before;
    // One change inside the day: find the first second that has the new offset.
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.#rawOffset(mid) === before) lo = mid;
      else hi = mid;
    }
    return { at: hi, before, after };
  }

  /** The zone's {@link name}. */
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
