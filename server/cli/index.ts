// server/cli/: the `steward` command line (operator ceremony, vendor publishing, serving).
export { runCli } from './run-cli.js';
export { processIo } from './cli-io.js';
export type { CliIo, OutputStream } from './cli-io.js';
export { CliError, USAGE_EXIT_CODE, FAILURE_EXIT_CODE } from './cli-error.js';
export type { CliErrorCode } from './cli-error.js';
export type { Command, CommandContext, OptionSpec, OptionKind, ArgumentSpec } from './command.js';
export { CommandArgs } from './command-args.js';
export { parseCommandLine } from './parse-command-line.js';
export type { ParsedCommandLine } from './parse-command-line.js';
export { commands } from './commands/index.js';
export { ApiClient } from './api-client.js';
export type { ApiClientOptions } from './api-client.js';
export { ProgressBar, formatBytes } from './progress-bar.js';
export { hashFile } from './hash-file.js';
export type { FileDigest } from './hash-file.js';
export { localConfig } from './local-config.js';
