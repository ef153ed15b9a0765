// Constants and word-level helpers of the base-10^9 decimal representation.
// Follows TiKV components/tidb_query_datatype/src/codec/mysql/decimal.rs (and MySQL decimal.c).

/** Number of 9-digit words in a decimal (TiKV `WORD_BUF_LEN`). */
export const WORD_BUF_LEN = 9;
/** Decimal digits held by one word. */
export const DIGITS_PER_WORD = 9;
/** Bytes of a full word in the binary format. */
export const WORD_SIZE = 4;
/** 10^9: the radix of a word. */
export const WORD_BASE = 1_000_000_000;
/** The largest value of a word. */
export const WORD_MAX = WORD_BASE - 1;
/** 10^8: divides a word to get its leading digit. */
export const DIG_MASK = 100_000_000;
/** The largest number of fractional digits of a DECIMAL column (MySQL `DECIMAL_MAX_SCALE`). */
export const MAX_FRACTION = 30;
/** The largest precision of a DECIMAL column (MySQL `DECIMAL_MAX_PRECISION`). */
export const MAX_PRECISION = 65;
/** MySQL `NOT_FIXED_DEC`: the cap of a product's fractional digit count. */
export const NOT_FIXED_DEC = 31;
/** Digits a decimal can hold at most (`WORD_BUF_LEN * DIGITS_PER_WORD`). */
export const MAX_DIGITS = WORD_BUF_LEN * DIGITS_PER_WORD;

/** 10^0 .. 10^9. */
export const TEN_POW: readonly number[] = [
  1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
];

/** Bytes used by the binary format for a group of 0..9 digits. */
export const DIG_2_BYTES: readonly number[] = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];

/** The largest fractional word with 1..8 significant leading digits. */
export const FRAC_MAX: readonly number[] = [
  900000000, 990000000, 999000000, 999900000, 999990000, 999999000, 999999900, 999999990,
];

/**
 * Words needed for `len` digits. Like TiKV's `word_cnt!`, a count beyond the 81 digits a decimal
 * can hold yields `WORD_BUF_LEN + 1`, which the callers then report as overflow/truncation.
 */
export function wordCnt(len: number): number {
  if (len > MAX_DIGITS) return WORD_BUF_LEN + 1;
  if (len <= 0) return 0;
  return ((len + DIGITS_PER_WORD - 1) / DIGITS_PER_WORD) | 0;
}

/** Leading zero digits of `word` when it is taken to have `i + 1` digit positions. */
export function countLeadingZeroes(i: number, word: number): number {
  let c = 0;
  while (i >= 0 && TEN_POW[i] > word) {
    i--;
    c++;
  }
  return c;
}

/** Trailing zero digits of a non-zero `word`, counting from digit position `i`. */
export function countTrailingZeroes(i: number, word: number): number {
  let c = 0;
  while (i <= DIGITS_PER_WORD && word % TEN_POW[i] === 0) {
    i++;
    c++;
  }
  return c;
}
