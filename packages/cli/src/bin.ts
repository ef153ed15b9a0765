#!/usr/bin/env node
// The `copr` executable: runs the command line and exits with its code.
import { main } from "./cli.js";

const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrStream: process.stderr,
});
process.exitCode = code;
