/**
 * The one error class of the `steward` CLI. Its `code` is either the CLI's own (`STW_CLI_*`)
 * or the server's stable code passed through from an error response, so a failure reads the
 * same whether it was found locally or by the server. Usage errors exit 2, all others 1.
 *
 * @example
 * throw new CliError('STW_CLI_USAGE', '--out is required');
 * // printed as: error STW_CLI_USAGE: --out is required
 */
import { errorConstructors, type StewardErrorCode } from '../errors.js';

export type CliErrorCode =
  /** Bad command line: unknown command or option, missing or malformed value. Exit 2. */
  | 'STW_CLI_USAGE'
  /** A file could not be read, or is not what the command expects. */
  | 'STW_CLI_FILE_UNREADABLE'
  /** The command would overwrite a file it must not (private keys, ceremony documents). */
  | 'STW_CLI_FILE_EXISTS'
  /** The server's online keys are missing (run `steward init`). */
  | 'STW_CLI_ONLINE_KEYS_MISSING'
  /** A signing key is not among the keys the role's delegation trusts. */
  | 'STW_CLI_KEY_NOT_AUTHORISED'
  /** Metadata fetched from the server does not verify (threshold or shape). */
  | 'STW_CLI_REMOTE_METADATA_INVALID'
  /** The target path was published before with other content. */
  | 'STW_CLI_PATH_TAKEN'
  /** The server could not be reached (connection refused, DNS, reset). */
  | 'STW_CLI_SERVER_UNREACHABLE'
  /** The server answered something that is not a Steward response. */
  | 'STW_CLI_SERVER_RESPONSE'
  /** A development-only action (`init --dev`) under `STEWARD_ENV=production`. */
  | 'STW_CLI_PRODUCTION'
  /** `steward simulate`: a terminal did not converge, was bricked, or a 5xx is not explained by a fault. */
  | 'STW_CLI_SIMULATION_FAILED'
  /** Anything else; `cause` holds the original error. */
  | 'STW_CLI_FAILED';

export const USAGE_EXIT_CODE = 2;
export const FAILURE_EXIT_CODE = 1;

export class CliError extends Error {
  readonly code: CliErrorCode | StewardErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: CliErrorCode | StewardErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.details = options?.details;
  }

  get exitCode(): number {
    return this.code === 'STW_CLI_USAGE' ? USAGE_EXIT_CODE : FAILURE_EXIT_CODE;
  }
}

export function usageError(message: string): CliError {
  return new CliError('STW_CLI_USAGE', message);
}

/** Whether `code` is one of the server's published error codes. */
export function isServerErrorCode(code: unknown): code is StewardErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorConstructors, code);
}

/**
 * What to print for any failure: CLI errors as they are, other Steward errors (manifest,
 * storage, server) by their own `STW_` code, anything else as STW_CLI_FAILED.
 */
export function describeFailure(error: unknown): { code: string; message: string; exitCode: number } {
  if (error instanceof CliError) return { code: error.code, message: error.message, exitCode: error.exitCode };
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  if (typeof code === 'string' && code.startsWith('STW_')) return { code, message, exitCode: FAILURE_EXIT_CODE };
  return { code: 'STW_CLI_FAILED', message, exitCode: FAILURE_EXIT_CODE };
}
