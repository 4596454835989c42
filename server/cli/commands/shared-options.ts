/** Options several commands share, and what they turn into. */
import { ApiClient } from '../api-client.js';
import { usageError } from '../cli-error.js';
import type { CommandArgs } from '../command-args.js';
import type { OptionSpec } from '../command.js';
import type { CliIo } from '../cli-io.js';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';
const DAY_MS = 24 * 3600 * 1000;

export const serverOptions: Readonly<Record<string, OptionSpec>> = {
  url: { kind: 'string', value: 'URL', description: `server URL (default: $STEWARD_URL, else ${DEFAULT_SERVER_URL})` },
  token: { kind: 'string', value: 'TOKEN', description: 'API token (default: $STEWARD_TOKEN)' },
};

export const dataDirOption: Readonly<Record<string, OptionSpec>> = {
  'data-dir': { kind: 'string', value: 'DIR', description: 'put the database, blobs and keys under DIR instead of ./data (explicit settings still win)' },
};

export const expiresOption: Readonly<Record<string, OptionSpec>> = {
  'expires-days': { kind: 'string', value: 'DAYS', description: 'lifetime of the signed document in days (default 365)' },
};

export function apiClientFor(args: CommandArgs, io: CliIo): ApiClient {
  const baseUrl = args.optionalString('url') ?? io.env['STEWARD_URL'] ?? DEFAULT_SERVER_URL;
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw usageError(`server URL ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw usageError(`server URL ${JSON.stringify(baseUrl)} must be http or https`);
  const token = args.optionalString('token') ?? (io.env['STEWARD_TOKEN'] || undefined);
  return new ApiClient({ baseUrl, token });
}

/** Now plus `--expires-days` (default 365). */
export function expiresFrom(args: CommandArgs, io: CliIo): Date {
  const days = args.integer('expires-days', { min: 1, max: 36500, fallback: 365 });
  return new Date(io.now() + days * DAY_MS);
}

/** The trailing part of a publication answer, e.g. `snapshot v4, timestamp v4`. */
export function describePublication(result: { snapshotVersion?: number; timestampVersion?: number }): string {
  if (result.snapshotVersion === undefined || result.timestampVersion === undefined) return 'snapshot and timestamp not published yet (no top-level targets)';
  return `snapshot v${result.snapshotVersion}, timestamp v${result.timestampVersion}`;
}
