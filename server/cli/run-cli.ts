/**
 * Runs one `steward` command line and returns the exit code: 0 success, 1 failure,
 * 2 usage error. Failures are printed as `error STW_CODE: message` on stderr (with the
 * cause chain when STEWARD_DEBUG is set).
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), processIo());
 */
import { describeFailure, USAGE_EXIT_CODE } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { commands as allCommands } from './commands/index.js';
import { commandHelp, generalHelp } from './help.js';
import { parseCommandLine } from './parse-command-line.js';

export async function runCli(argv: readonly string[], io: CliIo, commands: readonly Command[] = allCommands): Promise<number> {
  try {
    const parsed = parseCommandLine(argv, commands);
    if (parsed.kind === 'help') {
      const text = parsed.command ? commandHelp(parsed.command) : generalHelp(commands);
      (parsed.requested ? io.stdout : io.stderr).write(text);
      return parsed.requested ? 0 : USAGE_EXIT_CODE;
    }
    await parsed.command.run({ args: parsed.args, io });
    return 0;
  } catch (error) {
    const failure = describeFailure(error);
    io.stderr.write(`error ${failure.code}: ${failure.message}\n`);
    if (failure.exitCode === USAGE_EXIT_CODE) io.stderr.write("'steward help' lists the commands and their options\n");
    if (io.env['STEWARD_DEBUG']) io.stderr.write(`${causeChain(error)}\n`);
    return failure.exitCode;
  }
}

function causeChain(error: unknown): string {
  const lines: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 8; depth++) {
    lines.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) lines.push('caused by:');
  }
  return lines.join('\n');
}
