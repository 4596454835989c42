/**
 * The shape of a `steward` command: the words that name it, its options and arguments, and
 * what it does. Help text and argument checking are derived from this one description.
 *
 * @example
 * export const tokenCreate: Command = {
 *   words: ['token', 'create'],
 *   summary: 'Issue an API token (operator)',
 *   options: { scope: { kind: 'string', value: 'SCOPE', required: true, description: '...' } },
 *   run: async ({ args, io }) => { ... },
 * };
 */
import type { CliIo } from './cli-io.js';
import type { CommandArgs } from './command-args.js';

/** `string`: at most once; `strings`: may repeat; `boolean`: a flag. */
export type OptionKind = 'string' | 'strings' | 'boolean';

export interface OptionSpec {
  readonly kind: OptionKind;
  /** Placeholder shown in help, e.g. `FILE`. */
  readonly value?: string;
  readonly description: string;
  readonly required?: boolean;
}

export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
}

export interface CommandContext {
  readonly args: CommandArgs;
  readonly io: CliIo;
}

export interface Command {
  readonly words: readonly string[];
  readonly summary: string;
  readonly arguments?: readonly ArgumentSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Extra help text: examples, notes. */
  readonly details?: string;
  run(context: CommandContext): Promise<void>;
}
