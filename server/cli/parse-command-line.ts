/**
 * Reads a `steward` command line with node:util `parseArgs`. Options may come before, between
 * or after the command words, as with most CLIs: the whole line is parsed once against the
 * union of every command's options, the positionals then name the command (longest match of
 * its words) and its arguments, and finally the options are checked against that command.
 * `--` ends the options (for file names that start with `-`).
 *
 * @example
 * parseCommandLine(['--out', 'k.pem', 'keys', 'generate'], commands);
 * // { kind: 'run', command: keysGenerate, args }
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './cli-error.js';
import { CommandArgs, type OptionValues } from './command-args.js';
import type { Command } from './command.js';

export type ParsedCommandLine =
  | { readonly kind: 'run'; readonly command: Command; readonly args: CommandArgs }
  /** `command` undefined: the general help. `requested` false: shown because nothing was asked for. */
  | { readonly kind: 'help'; readonly command: Command | undefined; readonly requested: boolean };

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

export function parseCommandLine(argv: readonly string[], commands: readonly Command[]): ParsedCommandLine {
  const { values, positionals } = parse(argv, unionOfOptions(commands));
  const helpWanted = values['help'] === true || positionals[0] === 'help';
  const words = positionals[0] === 'help' ? positionals.slice(1) : positionals;
  if (words.length === 0) return { kind: 'help', command: undefined, requested: helpWanted };

  const command = longestMatch(words, commands);
  if (!command) throw usageError(unknownCommandMessage(words, commands));
  if (helpWanted) return { kind: 'help', command, requested: true };

  const given: Record<string, readonly string[] | boolean | undefined> = { ...values };
  delete given['help'];
  for (const [name, value] of Object.entries(given)) {
    const spec = command.options[name];
    if (!spec) throw usageError(`--${name} is not an option of 'steward ${command.words.join(' ')}'`);
    if (spec.kind === 'string' && Array.isArray(value) && value.length > 1) throw usageError(`--${name} may be given only once`);
  }
  for (const [name, spec] of Object.entries(command.options)) {
    if (spec.required && given[name] === undefined) throw usageError(`--${name} is required`);
  }
  const rest = words.slice(command.words.length);
  const expected = command.arguments ?? [];
  if (rest.length > expected.length) throw usageError(`unexpected argument ${JSON.stringify(rest[expected.length])}`);
  const missing = expected[rest.length];
  if (missing) throw usageError(`${missing.name} is required`);
  return { kind: 'run', command, args: new CommandArgs(given as OptionValues, rest) };
}

function parse(argv: readonly string[], options: ParseOptions): { values: Record<string, string[] | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string[] | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw usageError((error as Error).message);
    throw error;
  }
}

/** Every command's options, in parseArgs form. Two commands may not give one name two kinds. */
export function unionOfOptions(commands: readonly Command[]): ParseOptions {
  const options: ParseOptions = { help: { type: 'boolean', short: 'h' } };
  const kinds = new Map<string, string>();
  for (const command of commands) {
    for (const [name, spec] of Object.entries(command.options)) {
      const kind = spec.kind === 'boolean' ? 'boolean' : 'string';
      const seen = kinds.get(name);
      if (seen !== undefined && seen !== kind) throw new Error(`option --${name} is a ${seen} in one command and a ${kind} in another`);
      kinds.set(name, kind);
      options[name] = kind === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: true };
    }
  }
  return options;
}

function longestMatch(words: readonly string[], commands: readonly Command[]): Command | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    const matches = command.words.every((word, index) => words[index] === word);
    if (matches && command.words.length > (best?.words.length ?? 0)) best = command;
  }
  return best;
}

function unknownCommandMessage(words: readonly string[], commands: readonly Command[]): string {
  for (let length = words.length; length > 0; length--) {
    const prefix = words.slice(0, length);
    const below = commands.filter((command) => prefix.every((word, index) => command.words[index] === word) && command.words.length > length);
    if (below.length > 0) {
      const choices = below.map((command) => command.words.slice(length).join(' ')).join(', ');
      return `'steward ${prefix.join(' ')}' needs one of: ${choices}`;
    }
  }
  return `unknown command ${JSON.stringify(words.join(' '))}; 'steward help' lists the commands`;
}
