/**
 * The seam between the enrolment client / agent and the server's JSON API: one method that
 * sends a request and returns status, headers and the whole (small, capped) body. The TUF
 * client and the downloader keep using the streaming `Fetcher`; this is for the few JSON
 * calls of protocol.md (challenge, enrol, check-in). `FetchApiTransport` is the reference
 * implementation on the runtime's global `fetch`.
 *
 * @example
 * const transport = new FetchApiTransport({ timeoutMs: 15_000 });
 * const response = await transport.send({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body });
 */
import { DeviceError } from '../errors.js';

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array | undefined;
  /** Largest answer body accepted for this request, bytes (never above the transport's own cap). */
  readonly maxResponseBytes?: number | undefined;
}

export interface ApiResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface ApiTransport {
  send(request: ApiRequest): Promise<ApiResponse>;
}

export interface FetchApiTransportConfig {
  /** Milliseconds for the whole exchange. */
  readonly timeoutMs: number;
  /** Largest response body accepted; bytes. */
  readonly maxResponseBytes: number;
  readonly fetch: typeof globalThis.fetch;
}

export const defaultFetchApiTransportConfig: FetchApiTransportConfig = {
  timeoutMs: 30_000,
  maxResponseBytes: 1024 * 1024,
  fetch: (input, init) => globalThis.fetch(input, init),
};

export class FetchApiTransport implements ApiTransport {
  readonly #config: FetchApiTransportConfig;

  constructor(config: Partial<FetchApiTransportConfig> = {}) {
    this.#config = { ...defaultFetchApiTransportConfig, ...config };
  }

  async send(request: ApiRequest): Promise<ApiResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#config.timeoutMs);
    timer.unref();
    try {
      const response = await this.#config.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: controller.signal,
        redirect: 'error',
      });
      const body = await readCapped(response, Math.min(request.maxResponseBytes ?? Infinity, this.#config.maxResponseBytes), request.url);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
      return { status: response.status, headers, body };
    } catch (error) {
      if (error instanceof DeviceError) throw error;
      const code = timedOut ? 'STW_DEVICE_FETCH_TIMEOUT' : 'STW_DEVICE_FETCH_FAILED';
      throw new DeviceError(code, `${request.method} ${request.url} failed`, { cause: error, details: { url: request.url } });
    } finally {
      clearTimeout(timer);
    }
  }
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (response.body === null) return Buffer.alloc(0);
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await response.body.cancel().catch(() => {});
      throw new DeviceError('STW_DEVICE_TOO_LARGE', `the answer from ${url} exceeds ${maxBytes} bytes`, { details: { url, maxLength: maxBytes } });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
