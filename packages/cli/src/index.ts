// @copr/cli: the `copr` command as a library — schema files, CSV reading, MySQL conversions,
// TiDB's row and index encoding, a transactional client, and the demo.

export { type CliIo, main } from "./cli.js";
export {
  type ColumnValue,
  type Converter,
  type ConvertOptions,
  converterFor,
  emptyIsValue,
  fieldReader,
  type NullOptions,
} from "./convert.js";
export { type CsvOptions, CsvParser, type CsvRecordHandler, parseCsv } from "./csv.js";
export {
  aggFunc,
  colRef,
  columnInfo,
  fieldTypePb,
  formatSummaries,
  formatTable,
  formatValue,
  func,
  intConst,
  mergeSummaries,
  responseRows,
} from "./dag.js";
export {
  DEMO_CITIES,
  DEMO_ROWS,
  DEMO_SCHEMA,
  DEMO_TABLE_ID,
  type DemoQuery,
  type DemoResult,
  demoQueries,
  demoRow,
  loadDemoTable,
  runDemo,
  runDemoQuery,
} from "./demo.js";
export { type KvPair, TableEncoder } from "./encode.js";
export { ConversionError, DataError, SchemaError, TxnError, UsageError } from "./errors.js";
export { type LoadOptions, type LoadProgress, loadCsv, ProgressReporter } from "./load.js";
export {
  type ColumnDef,
  type ColumnKind,
  columnKind,
  type HandleDef,
  type IndexDef,
  parseColumnType,
  parseSchema,
  type TableSchema,
} from "./schema.js";
export {
  BOOTSTRAP_REGION,
  type CoprocessorResult,
  type KeyRange,
  LocalTso,
  type Mutation,
  prefixRange,
  RegionCache,
  type RegionInfo,
  TSO_LOGICAL_BITS,
  TxnClient,
  type TxnClientOptions,
  type WriteResult,
} from "./txn-client.js";
