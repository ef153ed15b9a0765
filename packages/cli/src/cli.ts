// The `copr` command: argument parsing (node:util parseArgs), help texts, and the server, load and
// demo subcommands. `main` returns the exit code: 0 done, 1 failed, 2 usage error.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { isCoprError, TimeZone } from "@copr/datatype";
import { DataError, SchemaError, TxnError, UsageError } from "./errors.js";
import { loadCsv, ProgressReporter } from "./load.js";
import { parseSchema } from "./schema.js";

/** Where the command writes: replaceable for tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stderrStream?: NodeJS.WriteStream;
}

const USAGE = `Usage: copr <command> [options]

Commands:
  server   start a TiKV-compatible node
  load     load a CSV file into a table, encoded as TiDB stores it
  demo     start a node, load a demo table, run pushed-down queries, stop
  help     show this help (or: copr <command> --help)

Run 'copr <command> --help' for the options of a command.
`;

const SERVER_USAGE = `Usage: copr server [--config FILE] [--data-dir DIR] [--addr HOST:PORT] [--status-addr HOST:PORT]
                   [--log-level LEVEL]

Starts a node serving tikvpb.Tikv over gRPC until SIGINT or SIGTERM, then closes it gracefully.

  --config FILE        TOML or JSON configuration file (see docs/server.md)
  --data-dir DIR       LMDB data directory (default: in memory, lost on exit)
  --addr HOST:PORT     gRPC address (default 127.0.0.1:20160)
  --status-addr H:P    HTTP status address serving /metrics (default 127.0.0.1:20180)
  --log-level LEVEL    trace, debug, info, warn, error, fatal or silent
`;

const LOAD_USAGE = `Usage: copr load --table-id N --schema FILE --csv FILE [--addr HOST:PORT] [--batch N]
                 [--header] [--delimiter C] [--null TEXT] [--empty-is-null] [--time-zone TZ]
                 [--rowid-start N]

Loads a CSV file into table N of a running node, one transaction per batch of rows.

  --table-id N         the table id (overrides the schema file's tableId)
  --schema FILE        the table schema, JSON (see docs/cli.md)
  --csv FILE           the data, UTF-8 CSV (RFC 4180)
  --addr HOST:PORT     the node (default 127.0.0.1:20160)
  --batch N            rows per transaction (default 1000)
  --header             the first line names the columns
  --delimiter C        field separator (default ,)
  --null TEXT          unquoted text read as NULL (default \\N)
  --empty-is-null      unquoted empty fields are NULL in string columns too
  --time-zone TZ       zone of TIMESTAMP values: UTC (default), +08:00, Europe/Berlin, System
  --rowid-start N      first _tidb_rowid for tables without a clustered key (default 1)
`;

const DEMO_USAGE = `Usage: copr demo [--data-dir DIR]

Starts a node on an embedded LMDB store (a temporary directory unless --data-dir is given, removed
afterwards), loads a demo table, runs three pushed-down queries, prints their answers and the
per-executor execution summaries, and stops the node.
`;

function parse<T extends Record<string, { type: "string" | "boolean"; short?: string }>>(
  args: string[],
  options: T,
  command: string,
) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(`${command}: ${msg}`);
  }
}

function positiveInt(v: string | undefined, flag: string, fallback?: number): number {
  if (v === undefined) {
    if (fallback === undefined) throw new UsageError(`missing ${flag}`);
    return fallback;
  }
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v)))
    throw new UsageError(`${flag} must be a positive integer, got '${v}'`);
  return Number(v);
}

function parseTimeZone(v: string): TimeZone {
  const m = /^([+-])(\d{1,2}):(\d{2})$/.exec(v);
  try {
    if (m) return TimeZone.fromOffset((m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60));
    if (v.toUpperCase() === "UTC") return TimeZone.utc();
    return TimeZone.fromName(v);
  } catch {
    throw new UsageError(`--time-zone: unknown time zone '${v}'`);
  }
}

async function importServer() {
  return import("@copr/server");
}

async function cmdServer(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(
    args,
    {
      config: { type: "string" },
      "data-dir": { type: "string" },
      addr: { type: "string" },
      "status-addr": { type: "string" },
      "log-level": { type: "string" },
    },
    "server",
  );
  if (values.help) {
    io.stdout(SERVER_USAGE);
    return 0;
  }
  const { loadConfig, startServer } = await importServer();
  const overrides: Record<string, unknown> = {};
  if (values["data-dir"] !== undefined) overrides.dataDir = values["data-dir"];
  if (values.addr !== undefined) overrides.addr = values.addr;
  if (values["status-addr"] !== undefined) overrides.statusAddr = values["status-addr"];
  if (values["log-level"] !== undefined) overrides.logLevel = values["log-level"];
  const config = loadConfig(values.config, overrides);
  const server = await startServer(config);
  io.stderr(
    `copr server listening on ${server.address} (status ${server.statusAddress}), data ${config.dataDir ?? "in memory"}\n`,
  );
  await new Promise<void>((resolve) => {
    let closing = false;
    const stop = (sig: string) => {
      if (closing) return;
      closing = true;
      io.stderr(`${sig} received, closing\n`);
      server.close().then(resolve, (e: unknown) => {
        io.stderr(`error while closing: ${(e as Error).message}\n`);
        resolve();
      });
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
  io.stderr("copr server stopped\n");
  return 0;
}

async function cmdLoad(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(
    args,
    {
      "table-id": { type: "string" },
      schema: { type: "string" },
      csv: { type: "string" },
      addr: { type: "string" },
      batch: { type: "string" },
      header: { type: "boolean" },
      delimiter: { type: "string" },
      null: { type: "string" },
      "empty-is-null": { type: "boolean" },
      "time-zone": { type: "string" },
      "rowid-start": { type: "string" },
    },
    "load",
  );
  if (values.help) {
    io.stdout(LOAD_USAGE);
    return 0;
  }
  if (values.schema === undefined) throw new UsageError("load: missing --schema FILE");
  if (values.csv === undefined) throw new UsageError("load: missing --csv FILE");
  let schemaJson: unknown;
  try {
    schemaJson = JSON.parse(readFileSync(values.schema, "utf8"));
  } catch (e) {
    throw new SchemaError("", `cannot read ${values.schema}: ${(e as Error).message}`);
  }
  const schema = parseSchema(schemaJson);
  const tableId =
    values["table-id"] !== undefined ? positiveInt(values["table-id"], "--table-id") : schema.tableId;
  if (tableId === undefined)
    throw new UsageError("load: missing --table-id N (and the schema has no tableId)");
  const delimiter = values.delimiter === "\\t" ? "\t" : values.delimiter;
  if (delimiter !== undefined && delimiter.length !== 1)
    throw new UsageError("--delimiter must be one character");
  const progress = io.stderrStream ? new ProgressReporter(io.stderrStream) : null;
  const result = await loadCsv({
    address: values.addr ?? "127.0.0.1:20160",
    tableId,
    schema,
    csvPath: values.csv,
    batchRows: positiveInt(values.batch, "--batch", 1000),
    header: values.header === true,
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(values.null === undefined ? {} : { nullText: values.null }),
    ...(values["empty-is-null"] ? { emptyIsNull: true } : {}),
    ...(values["time-zone"] === undefined ? {} : { timeZone: parseTimeZone(values["time-zone"]) }),
    ...(values["rowid-start"] === undefined
      ? {}
      : { rowidStart: positiveInt(values["rowid-start"], "--rowid-start") }),
    ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
  });
  progress?.update(result, true);
  io.stdout(
    `loaded ${result.rows} rows (${result.keys} keys in ${result.batches} transactions) into table ${tableId}\n`,
  );
  return 0;
}

async function cmdDemo(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { "data-dir": { type: "string" } }, "demo");
  if (values.help) {
    io.stdout(DEMO_USAGE);
    return 0;
  }
  const { startServer } = await importServer();
  const { runDemo } = await import("./demo.js");
  const temp = values["data-dir"] === undefined;
  const dataDir = values["data-dir"] ?? mkdtempSync(path.join(os.tmpdir(), "copr-demo-"));
  try {
    const server = await startServer({
      addr: "127.0.0.1:0",
      statusAddr: "127.0.0.1:0",
      dataDir,
      logLevel: "warn",
      readPoolSize: 1,
    });
    io.stdout(`Started a node at ${server.address} on LMDB in ${dataDir}${temp ? " (temporary)" : ""}\n`);
    try {
      await runDemo(server.address, io.stdout);
    } finally {
      await server.close();
    }
    io.stdout("\nNode stopped.\n");
    return 0;
  } finally {
    if (temp) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs the command line `argv` (without node and the script); returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      case "server":
        return await cmdServer(rest, io);
      case "load":
        return await cmdLoad(rest, io);
      case "demo":
        return await cmdDemo(rest, io);
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`copr: ${e.message}\nRun 'copr --help' for usage.\n`);
      return 2;
    }
    if (e instanceof DataError || e instanceof SchemaError || e instanceof TxnError) {
      io.stderr(`copr: ${e.message}\n`);
      return 1;
    }
    if (isCoprError(e) || (e instanceof Error && e.name === "ConfigError")) {
      io.stderr(`copr: ${e.message}\n`);
      return 1;
    }
    if (e instanceof Error && "code" in e && (e as NodeJS.ErrnoException).code === "ENOENT") {
      io.stderr(`copr: ${e.message}\n`);
      return 1;
    }
    io.stderr(`copr: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}
