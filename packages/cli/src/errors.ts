// Errors of the copr command and its library: usage mistakes, bad schema files, bad CSV data and
// failed transactions, each a distinct class so callers (and the exit code) can tell them apart.

/** A command-line mistake (unknown flag, missing value, bad number): exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A schema file that cannot be used; `path` names the offending field (`columns[2].type`). */
export class SchemaError extends Error {
  override readonly name = "SchemaError";
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(path === "" ? message : `${path}: ${message}`);
  }
}

/**
 * A CSV record that cannot be loaded: malformed CSV, a wrong field count or a value its column
 * rejects. `line` is the 1-based line where the record starts; `column` the schema column, if any.
 */
export class DataError extends Error {
  override readonly name = "DataError";
  constructor(
    readonly line: number,
    readonly column: string | null,
    readonly reason: string,
  ) {
    super(`line ${line}${column === null ? "" : `, column '${column}'`}: ${reason}`);
  }
}

/** A value a column rejects, before its line is known (wrapped into a DataError by the loader). */
export class ConversionError extends Error {
  override readonly name = "ConversionError";
}

/** A transactional or coprocessor request the node refused (key error, region error, gRPC failure). */
export class TxnError extends Error {
  override readonly name = "TxnError";
  constructor(
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}
