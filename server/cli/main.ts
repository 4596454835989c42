#!/usr/bin/env node
// The `steward` executable (package.json "bin"): see run-cli.ts and docs/cli.md.
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
