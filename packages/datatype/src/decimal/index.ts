// Public API of MySQL DECIMAL (TiKV codec/mysql/decimal.rs).

export {
  DECIMAL_CHUNK_WORDS,
  DECIMAL_STRUCT_SIZE,
  Decimal,
  decimalAddWords,
  decimalBinSize,
  decimalBinToScaled,
  decimalBinToWords,
  decimalCompareWords,
  decimalFromBytes,
  decimalMulWords,
  decimalScaledToWords,
  RoundMode,
} from "./decimal.js";
export { type DecimalResult, DecimalStatus, decimalResultInto } from "./result.js";
export { MAX_FRACTION, MAX_PRECISION } from "./words.js";
