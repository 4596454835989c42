/**
 * Runs a `steward` command line in this process with its own streams and environment, as
 * the development setup, the simulator and the demo do to reuse the CLI's code paths (the
 * root ceremony, `vendor add`, `release publish`) instead of copies of them. Failures throw
 * the command's CliError.
 *
 * @example
 * await runStewardCommand(['release', 'list', '--vendor', 'demo-vendor'], { env: { STEWARD_URL: url, STEWARD_TOKEN: token } });
 */
import type { CliIo, OutputStream } from '../cli-io.js';

export interface CommandRun {
  /** The command's environment (STEWARD_URL, STEWARD_TOKEN, ...); nothing of this process's. */
  readonly env: Record<string, string>;
  readonly stdout?: OutputStream;
  readonly stderr?: OutputStream;
  readonly now?: () => number;
}

export async function runStewardCommand(argv: readonly string[], run: CommandRun): Promise<void> {
  // Loaded here: the command list includes `init`, which imports the development setup.
  const { commands } = await import('./index.js');
  const { parseCommandLine } = await import('../parse-command-line.js');
  const parsed = parseCommandLine(argv, commands);
  if (parsed.kind !== 'run') throw new Error(`not a command: steward ${argv.join(' ')}`);
  const discard: OutputStream = { write: () => true };
  const io: CliIo = { stdout: run.stdout ?? discard, stderr: run.stderr ?? discard, env: run.env, now: run.now ?? (() => Date.now()) };
  await parsed.command.run({ args: parsed.args, io });
}
