import t from 'tap';
import { CliError, commands, parseCommandLine, type Command } from '../../../server/cli/index.js';
import { unionOfOptions } from '../../../server/cli/parse-command-line.js';

function usageCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof CliError ? error.code : 'not a CliError';
  }
  return undefined;
}

t.test('options may come before, between or after the command words', async (t) => {
  for (const argv of [
    ['keys', 'generate', '--out', 'k.pem', '--type', 'rsa'],
    ['--out', 'k.pem', 'keys', 'generate', '--type', 'rsa'],
    ['keys', '--type=rsa', 'generate', '--out', 'k.pem'],
  ]) {
    const parsed = parseCommandLine(argv, commands);
    t.equal(parsed.kind, 'run', argv.join(' '));
    if (parsed.kind !== 'run') continue;
    t.same(parsed.command.words, ['keys', 'generate']);
    t.equal(parsed.args.string('out'), 'k.pem');
    t.equal(parsed.args.optionalString('type'), 'rsa');
  }
});

t.test('the longest matching command wins and the rest are its arguments', async (t) => {
  const parsed = parseCommandLine(['repo', 'sign', 'root.json', '--key', 'a.pem', '--key', 'b.pem'], commands);
  t.equal(parsed.kind, 'run');
  if (parsed.kind !== 'run') return;
  t.same(parsed.command.words, ['repo', 'sign']);
  t.equal(parsed.args.argument(0, 'FILE'), 'root.json');
  t.same(parsed.args.strings('key'), ['a.pem', 'b.pem']);
});

t.test('after -- a file name may start with a dash', async (t) => {
  const parsed = parseCommandLine(['repo', 'sign', '--key', 'a.pem', '--', '-odd.json'], commands);
  t.equal(parsed.kind === 'run' && parsed.args.argument(0, 'FILE'), '-odd.json');
});

t.test('usage errors', async (t) => {
  t.equal(usageCode(() => parseCommandLine(['keys', 'generate', '--out', 'k', '--bogus'], commands)), 'STW_CLI_USAGE', 'an option no command has');
  t.equal(usageCode(() => parseCommandLine(['keys', 'generate', '--out', 'k', '--vendor', 'acme'], commands)), 'STW_CLI_USAGE', "another command's option");
  t.equal(usageCode(() => parseCommandLine(['keys', 'generate'], commands)), 'STW_CLI_USAGE', 'a required option missing');
  t.equal(usageCode(() => parseCommandLine(['keys', 'generate', '--out', 'a', '--out', 'b'], commands)), 'STW_CLI_USAGE', 'a single option twice');
  t.equal(usageCode(() => parseCommandLine(['repo', 'sign', '--key', 'a.pem'], commands)), 'STW_CLI_USAGE', 'a missing argument');
  t.equal(usageCode(() => parseCommandLine(['repo', 'sign', 'a.json', 'b.json', '--key', 'a.pem'], commands)), 'STW_CLI_USAGE', 'an extra argument');
  t.equal(usageCode(() => parseCommandLine(['launch'], commands)), 'STW_CLI_USAGE', 'an unknown command');
  t.equal(usageCode(() => parseCommandLine(['repo'], commands)), 'STW_CLI_USAGE', 'a command group without its subcommand');
  t.equal(usageCode(() => parseCommandLine(['keys', 'generate', '--out'], commands)), 'STW_CLI_USAGE', 'an option without its value');
});

t.test('help is asked for, or shown when no command is given', async (t) => {
  t.same(parseCommandLine(['--help'], commands), { kind: 'help', command: undefined, requested: true });
  t.same(parseCommandLine([], commands), { kind: 'help', command: undefined, requested: false });
  const forCommand = parseCommandLine(['help', 'release', 'publish'], commands);
  t.equal(forCommand.kind === 'help' && forCommand.command?.words.join(' '), 'release publish');
  const flag = parseCommandLine(['release', 'publish', '-h'], commands);
  t.equal(flag.kind === 'help' && flag.requested, true, 'help wins over missing required options');
});

t.test('two commands giving one option name two kinds is a programming error caught at once', async (t) => {
  const run = async (): Promise<void> => {};
  const a: Command = { words: ['a'], summary: '', options: { key: { kind: 'string', description: '' } }, run };
  const b: Command = { words: ['b'], summary: '', options: { key: { kind: 'boolean', description: '' } }, run };
  t.throws(() => unionOfOptions([a, b]));
  t.doesNotThrow(() => unionOfOptions(commands), "steward's own commands agree");
});

t.test('integer options are checked', async (t) => {
  const parsed = parseCommandLine(['vendor', 'add', 'acme', '--name', 'A', '--vendor-key', 'v', '--targets-key', 't', '--threshold', '2x'], commands);
  t.equal(parsed.kind, 'run');
  if (parsed.kind !== 'run') return;
  t.equal(usageCode(() => parsed.args.integer('threshold', { min: 1 })), 'STW_CLI_USAGE');
  t.equal(parsed.args.integer('expires-days', { fallback: 365 }), 365);
});
