/** Help text, derived from the command descriptions. */
import type { Command, OptionSpec } from './command.js';

export function generalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => usageLine(command).length));
  const lines = commands.map((command) => `  ${usageLine(command).padEnd(width)}  ${command.summary}`);
  return [
    'Usage: steward <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "'steward help <command>' or 'steward <command> --help' describes one command.",
    'The server URL and token may also come from STEWARD_URL and STEWARD_TOKEN.',
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const options = Object.entries(command.options);
  const width = Math.max(0, ...options.map(([name, spec]) => optionLabel(name, spec).length));
  const lines = [`Usage: steward ${usageLine(command)}${options.length > 0 ? ' [options]' : ''}`, '', command.summary];
  for (const argument of command.arguments ?? []) lines.push('', `  ${argument.name}  ${argument.description}`);
  if (options.length > 0) {
    lines.push('', 'Options:');
    for (const [name, spec] of options) {
      const notes = [spec.required ? 'required' : '', spec.kind === 'strings' ? 'repeatable' : ''].filter(Boolean).join(', ');
      lines.push(`  ${optionLabel(name, spec).padEnd(width)}  ${spec.description}${notes ? ` (${notes})` : ''}`);
    }
  }
  if (command.details) lines.push('', command.details);
  lines.push('');
  return lines.join('\n');
}

function usageLine(command: Command): string {
  return [...command.words, ...(command.arguments ?? []).map((argument) => argument.name)].join(' ');
}

function optionLabel(name: string, spec: OptionSpec): string {
  return spec.kind === 'boolean' ? `--${name}` : `--${name} ${spec.value ?? 'VALUE'}`;
}
