// Go's strconv.ParseUint(s, 0, 64), which TiDB uses to read an ENUM/SET member given as a number
// (TiDB pkg/types/enum.go and set.go).

const U64_MAX = 2n ** 64n - 1n;

function lower(c: number): number {
  return c | 0x20;
}

function isDigitIn(c: number, hex: boolean): boolean {
  return (c >= 48 && c <= 57) || (hex && lower(c) >= 97 && lower(c) <= 102);
}

/** Go `underscoreOK`: underscores only between digits (a base prefix counts as a digit). */
function underscoreOk(s: string): boolean {
  let saw = "^";
  let i = 0;
  if (s.length >= 1 && (s[0] === "-" || s[0] === "+")) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0") {
    const p = lower(s.charCodeAt(1));
    if (p === 0x62 || p === 0x6f || p === 0x78) {
      i = 2;
      saw = "0";
      hex = p === 0x78;
    }
  }
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigitIn(c, hex)) {
      saw = "0";
      continue;
    }
    if (c === 0x5f) {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/**
 * Reads `s` as Go's `strconv.ParseUint(s, 0, 64)`: decimal, `0x`/`0o`/`0b` prefixes, a leading
 * `0` for octal, `_` between digits; no sign, no whitespace. Null on a syntax or range error.
 */
export function parseGoUint(s: string): bigint | null {
  if (s.length === 0) return null;
  const s0 = s;
  let base = 10;
  if (s[0] === "0") {
    const p = s.length >= 3 ? lower(s.charCodeAt(1)) : 0;
    if (p === 0x62) base = 2;
    else if (p === 0x6f) base = 8;
    else if (p === 0x78) base = 16;
    else base = 8;
    s = s.slice(base === 8 && p !== 0x6f ? 1 : 2);
  }
  const b = BigInt(base);
  let n = 0n;
  let underscores = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c === 0x5f) {
      underscores = true;
      continue;
    }
    if (c >= 48 && c <= 57) d = c - 48;
    else if (lower(c) >= 97 && lower(c) <= 122) d = lower(c) - 97 + 10;
    else return null;
    if (d >= base) return null;
    n = n * b + BigInt(d);
    if (n > U64_MAX) return null;
  }
  if (underscores && !underscoreOk(s0)) return null;
  return n;
}
