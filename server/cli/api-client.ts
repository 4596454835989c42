/**
 * The CLI's view of the Steward HTTP API: JSON requests with a bearer token, public metadata
 * reads, and streamed artifact uploads. Error responses (`{ error: { code, message } }`)
 * become CliErrors carrying the server's code.
 *
 * @example
 * const api = new ApiClient({ baseUrl: 'http://127.0.0.1:8080', token });
 * const { releases } = await api.request<{ releases: unknown[] }>('GET', '/v1/vendors/acme/releases');
 */
import { parseJson } from '../../manifests/index.js';
import { CliError, isServerErrorCode } from './cli-error.js';
import { uploadFile } from './upload-file.js';

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  readonly baseUrl: string;
  readonly token?: string | undefined;
  readonly fetch?: Fetch;
}

export class ApiClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: Fetch;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** A JSON request; `auth: false` sends no token (public routes). */
  async request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: { json?: unknown; auth?: boolean } = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.auth ?? true) headers['authorization'] = `Bearer ${this.token()}`;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.#fetch(this.baseUrl + path, { method, headers, ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }) });
    } catch (error) {
      throw unreachable(this.baseUrl, error);
    }
    const body = Buffer.from(await response.arrayBuffer());
    if (!response.ok) throw errorFromResponse(response.status, body);
    return (body.length === 0 ? undefined : readJson(body, response.status)) as T;
  }

  /** A TUF metadata file (`targets.json`, `acme.json`, `3.root.json`), or undefined when absent. */
  async metadata(file: string): Promise<unknown> {
    try {
      return await this.request<unknown>('GET', `/v1/repository/metadata/${encodeURIComponent(file)}`, { auth: false });
    } catch (error) {
      if (error instanceof CliError && error.code === 'STW_NOT_FOUND') return undefined;
      throw error;
    }
  }

  /** Streams `file` (of `length` bytes) as the body of a PUT; reports bytes sent. */
  async upload<T>(path: string, file: string, length: number, onProgress: (sent: number) => void): Promise<T> {
    let answer: { status: number; body: Buffer };
    try {
      answer = await uploadFile(new URL(this.baseUrl + path), { authorization: `Bearer ${this.token()}`, accept: 'application/json' }, file, length, onProgress);
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw unreachable(this.baseUrl, error);
    }
    if (answer.status < 200 || answer.status >= 300) throw errorFromResponse(answer.status, answer.body);
    return readJson(answer.body, answer.status) as T;
  }

  token(): string {
    if (!this.#token) throw new CliError('STW_CLI_USAGE', 'this command needs a token: --token or STEWARD_TOKEN');
    return this.#token;
  }
}

function readJson(body: Buffer, status: number): unknown {
  try {
    return parseJson(body);
  } catch (error) {
    throw new CliError('STW_CLI_SERVER_RESPONSE', `the server answered ${status} with a body that is not JSON`, { cause: error, details: { status } });
  }
}

export function errorFromResponse(status: number, body: Buffer): CliError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' ? error.message : `the server answered ${status}`;
  const details = { status, ...(typeof error?.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : {}) };
  if (isServerErrorCode(error?.code)) return new CliError(error.code, message, { details });
  return new CliError('STW_CLI_SERVER_RESPONSE', `${message} (no Steward error code)`, { details: { ...details, code: error?.code } });
}

function unreachable(baseUrl: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const reason = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
  return new CliError('STW_CLI_SERVER_UNREACHABLE', `could not reach ${baseUrl} (${reason}); check --url or STEWARD_URL`, { cause: error });
}
