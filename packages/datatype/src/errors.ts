// Errors shared by every copr package. The MySQL error codes and message texts follow
// TiKV components/tidb_query_datatype/src/codec/error.rs (which follows TiDB/MySQL).

/** MySQL error 1105: an error with no more specific code. */
export const ERR_UNKNOWN = 1105;
/** MySQL error 1139: a regular expression could not be compiled. */
export const ERR_REGEXP = 1139;
/** MySQL warning 1265: data was truncated. */
export const WARN_DATA_TRUNCATED = 1265;
/** MySQL error 1292: a value was truncated or could not be read as the target type. */
export const ERR_TRUNCATE_WRONG_VALUE = 1292;
/** MySQL error 1298: unknown or incorrect time zone. */
export const ERR_UNKNOWN_TIMEZONE = 1298;
/** MySQL error 1365: division by 0. */
export const ERR_DIVISION_BY_ZERO = 1365;
/** MySQL error 1406: data too long for a column. */
export const ERR_DATA_TOO_LONG = 1406;
/** MySQL error 1427: for DECIMAL(M,D) and friends, M must be >= D. */
export const ERR_M_BIGGER_THAN_D = 1427;
/** MySQL error 1441: a datetime function overflowed. */
export const ERR_DATETIME_FUNCTION_OVERFLOW = 1441;
/** MySQL error 1583: incorrect parameters in a call to a native function. */
export const ERR_INCORRECT_PARAMETERS = 1583;
/** MySQL error 1690: a value is out of range for its type. */
export const ERR_DATA_OUT_OF_RANGE = 1690;
/** MySQL error 3854: a binary string cannot be converted to the target charset. */
export const ERR_CANNOT_CONVERT_STRING = 3854;

const BRAND: unique symbol = Symbol.for("copr.error") as never;

/** The family an error belongs to; also its `name`. */
export type CoprErrorName = "EvalError" | "CodecError" | "UnsupportedError" | "StorageError";

/**
 * Base of every error copr raises on purpose. `code` is a MySQL error code, which is what TiDB
 * shows the user when the error travels back in a `tipb.Error`. Test with {@link isCoprError}
 * rather than `instanceof`: two copies of this package in one process still recognise each
 * other's errors.
 */
export abstract class CoprError extends Error {
  readonly code: number;
  abstract override readonly name: CoprErrorName;
  /** @internal brand checked by {@link isCoprError}. */
  readonly [BRAND] = true;

  constructor(message: string, code: number, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** True for any error raised by copr (from any copy of this package). */
export function isCoprError(e: unknown): e is CoprError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * An error in evaluating a value: overflow, truncation, bad time, division by zero. Whether it
 * stops the query or becomes a warning is decided by {@link EvalContext}, not by the code that
 * raises it.
 */
export class EvalError extends CoprError {
  override readonly name = "EvalError" as const;

  /** `<type> value is out of range in '<expr>'` (1690). */
  static overflow(type: string, expr: string): EvalError {
    return new EvalError(`${type} value is out of range in '${expr}'`, ERR_DATA_OUT_OF_RANGE);
  }

  /** `Truncated incorrect <type> value: '<value>'` (1292). */
  static truncatedWrongValue(type: string, value: string): EvalError {
    return new EvalError(`Truncated incorrect ${type} value: '${value}'`, ERR_TRUNCATE_WRONG_VALUE);
  }

  /** `Data Truncated` (1265). */
  static truncated(): EvalError {
    return new EvalError("Data Truncated", WARN_DATA_TRUNCATED);
  }

  /** `Division by 0` (1365). */
  static divisionByZero(): EvalError {
    return new EvalError("Division by 0", ERR_DIVISION_BY_ZERO);
  }

  /** `unknown or incorrect time zone: <name>` (1298). */
  static invalidTimezone(name: string): EvalError {
    return new EvalError(`unknown or incorrect time zone: ${name}`, ERR_UNKNOWN_TIMEZONE);
  }

  /** `invalid time format: '<value>'` (1292). */
  static invalidTimeFormat(value: string): EvalError {
    return new EvalError(`invalid time format: '${value}'`, ERR_TRUNCATE_WRONG_VALUE);
  }

  /** `Incorrect datetime value: '<value>'` (1292). */
  static incorrectDatetimeValue(value: string): EvalError {
    return new EvalError(`Incorrect datetime value: '${value}'`, ERR_TRUNCATE_WRONG_VALUE);
  }

  /** `Datetime function field overflow` (1441). */
  static datetimeFunctionOverflow(): EvalError {
    return new EvalError("Datetime function field overflow", ERR_DATETIME_FUNCTION_OVERFLOW);
  }

  /** `For float(M,D), double(M,D) or decimal(M,D), M must be >= D (column '<column>').` (1427). */
  static mBiggerThanD(column: string): EvalError {
    return new EvalError(
      `For float(M,D), double(M,D) or decimal(M,D), M must be >= D (column '${column}').`,
      ERR_M_BIGGER_THAN_D,
    );
  }

  /** `Data Too Long` or the given message (1406). */
  static dataTooLong(message = ""): EvalError {
    return new EvalError(message === "" ? "Data Too Long" : message, ERR_DATA_TOO_LONG);
  }

  /** `Incorrect parameters in the call to native function '<fn>'` (1583). */
  static incorrectParameters(fn: string): EvalError {
    return new EvalError(
      `Incorrect parameters in the call to native function '${fn}'`,
      ERR_INCORRECT_PARAMETERS,
    );
  }

  /** `Cannot convert string <s> from binary to <charset>` (3854). */
  static cannotConvertString(s: string, charset: string): EvalError {
    return new EvalError(`Cannot convert string ${s} from binary to ${charset}`, ERR_CANNOT_CONVERT_STRING);
  }

  /** Cast of a negative integer to UNSIGNED (1105). */
  static castNegIntAsUnsigned(): EvalError {
    return new EvalError(
      "Cast to unsigned converted negative integer to it's positive complement",
      ERR_UNKNOWN,
    );
  }

  /** Cast of an out-of-range positive integer to SIGNED (1105). */
  static castAsSignedOverflow(): EvalError {
    return new EvalError(
      "Cast to signed converted positive out-of-range integer to it's negative complement",
      ERR_UNKNOWN,
    );
  }
}

/**
 * Bytes that do not decode: truncated, corrupt or of an unknown layout. `format` names the
 * encoding (e.g. `"decimal binary"`, `"row v2"`) and `offset` the byte position where decoding
 * failed, when known.
 */
export class CodecError extends CoprError {
  override readonly name = "CodecError" as const;
  readonly format: string;
  readonly offset: number | undefined;

  constructor(format: string, detail: string, offset?: number, options?: ErrorOptions) {
    super(
      offset === undefined ? `${format}: ${detail}` : `${format}: ${detail} at offset ${offset}`,
      ERR_UNKNOWN,
      options,
    );
    this.format = format;
    this.offset = offset;
  }
}

/** A type, collation, charset or feature that copr does not serve. */
export class UnsupportedError extends CoprError {
  override readonly name = "UnsupportedError" as const;

  constructor(message: string, code = ERR_UNKNOWN) {
    super(message, code);
  }
}

/** A failure in the storage layer (engine or MVCC). */
export class StorageError extends CoprError {
  override readonly name = "StorageError" as const;

  constructor(message: string, code = ERR_UNKNOWN, options?: ErrorOptions) {
    super(message, code, options);
  }
}

/**
 * Checks an internal invariant. A failure is a bug in copr, never a consequence of input data:
 * data problems raise a {@link CoprError}.
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`copr internal assertion failed: ${message}`);
}
