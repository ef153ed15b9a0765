// Public API of MySQL DATE/DATETIME/TIMESTAMP values (TiKV codec/mysql/time).

export {
  checkFsp,
  DEFAULT_FSP,
  isLeapYear,
  lastDayOfMonth,
  MAX_FSP,
  MAX_TIMESTAMP,
  MIN_FSP,
  MIN_TIMESTAMP,
  UNSPECIFIED_FSP,
} from "./core.js";
export {
  compareTimeWords,
  fieldTypeTpOfTimeType,
  rustF64String,
  Time,
  type TimeFields,
  TimeType,
  timeTypeOfTp,
} from "./time.js";
export { TimeZone } from "./tz.js";
