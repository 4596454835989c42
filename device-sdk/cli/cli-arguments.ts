/**
 * The command line of `steward-device` (node:util parseArgs), read into one `CliCommand`:
 *
 *   steward-device --metadata-dir DIR init TRUSTED_ROOT_FILE
 *   steward-device --metadata-dir DIR --metadata-url URL refresh
 *   steward-device --metadata-dir DIR --metadata-url URL --target-name PATH [--target-name PATH ...]
 *                  --target-base-url URL --target-dir DIR download
 *
 * `--metadata-url` may be repeated: later ones are mirrors, tried in order.
 */
import { parseArgs } from 'node:util';
import { DeviceError } from '../errors.js';

export type CliCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'init'; readonly metadataDir: string; readonly trustedRootFile: string }
  | { readonly kind: 'refresh'; readonly metadataDir: string; readonly metadataUrls: readonly string[] }
  | {
      readonly kind: 'download';
      readonly metadataDir: string;
      readonly metadataUrls: readonly string[];
      readonly targetNames: readonly string[];
      readonly targetBaseUrl: string;
      readonly targetDir: string;
    };

export const USAGE = `usage:
  steward-device --metadata-dir DIR init TRUSTED_ROOT_FILE
  steward-device --metadata-dir DIR --metadata-url URL refresh
  steward-device --metadata-dir DIR --metadata-url URL --target-name PATH [--target-name PATH ...]
                 --target-base-url URL --target-dir DIR download
`;

export function readCliArguments(argv: readonly string[]): CliCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw usage(error instanceof Error ? error.message : String(error), error);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  const [command, ...rest] = positionals;
  const metadataDir = required(values['metadata-dir'], '--metadata-dir');
  switch (command) {
    case 'init': {
      if (rest.length !== 1 || rest[0] === undefined) throw usage('init takes exactly one TRUSTED_ROOT_FILE');
      return { kind: 'init', metadataDir, trustedRootFile: rest[0] };
    }
    case 'refresh':
      noArguments(command, rest);
      return { kind: 'refresh', metadataDir, metadataUrls: requiredList(values['metadata-url'], '--metadata-url') };
    case 'download':
      noArguments(command, rest);
      return {
        kind: 'download',
        metadataDir,
        metadataUrls: requiredList(values['metadata-url'], '--metadata-url'),
        targetNames: requiredList(values['target-name'], '--target-name'),
        targetBaseUrl: required(values['target-base-url'], '--target-base-url'),
        targetDir: required(values['target-dir'], '--target-dir'),
      };
    case undefined:
      throw usage('a command is required: init, refresh or download');
    default:
      throw usage(`unknown command ${command}`);
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      'metadata-dir': { type: 'string' },
      'metadata-url': { type: 'string', multiple: true },
      'target-name': { type: 'string', multiple: true },
      'target-base-url': { type: 'string' },
      'target-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw usage(`${flag} is required`);
  return value;
}

function requiredList(values: string[] | undefined, flag: string): string[] {
  if (values === undefined || values.length === 0 || values.some((value) => value === '')) throw usage(`${flag} is required`);
  return values;
}

function noArguments(command: string, rest: readonly string[]): void {
  if (rest.length > 0) throw usage(`${command} takes no arguments, got ${rest.join(' ')}`);
}

function usage(message: string, cause?: unknown): DeviceError {
  return new DeviceError('STW_DEVICE_USAGE', message, cause === undefined ? undefined : { cause });
}
