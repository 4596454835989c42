/**
 * `HttpFetcher`: the reference `Fetcher` on the runtime's global `fetch` (undici in Node).
 *
 * - Resume: an `offset` > 0 sends `Range: bytes=<offset>-` (RFC 9110 14.2). A 206 must carry
 *   a `Content-Range` starting at that offset (RFC 9110 14.4); a 200 means the server ignored
 *   the Range and the body starts at 0, which is what `start` then says.
 * - Size cap: a declared length beyond `maxLength` fails before the body is read, and a body
 *   that grows past it fails while streaming, so an endless response cannot fill the disk.
 * - Timeouts: `connectTimeoutMs` until the response head arrives, `idleTimeoutMs` for each
 *   wait on the next body chunk (time the caller spends between reads does not count).
 *
 * @example
 * const fetcher = new HttpFetcher({ connectTimeoutMs: 10_000 });
 * const { start, body } = await fetcher.fetch({ url, maxLength: 1 << 20, offset: 4096 });
 * for await (const chunk of body) sink.write(chunk);
 */
import { DeviceError } from '../errors.js';
import { Abort } from './fetch-abort.js';
import type { FetchRequest, FetchResponse, Fetcher } from './fetcher.js';
import { boundedChunks } from './bounded-chunks.js';
import { interpretHead, startOffset } from './response-head.js';

/** Arms a timer and returns its cancel function. Injected in tests to fire timeouts at will. */
export type TimerScheduler = (delayMs: number, onTimeout: () => void) => () => void;

export interface HttpFetcherConfig {
  /** Milliseconds from sending the request until the response head arrives. */
  readonly connectTimeoutMs: number;
  /** Milliseconds to wait for any one body chunk before giving up. */
  readonly idleTimeoutMs: number;
  /** Extra request headers (e.g. a user agent). */
  readonly headers: Readonly<Record<string, string>>;
  readonly schedule: TimerScheduler;
  readonly fetch: typeof globalThis.fetch;
}

export const defaultHttpFetcherConfig: HttpFetcherConfig = {
  connectTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  headers: {},
  schedule: (delayMs, onTimeout) => {
    const timer = setTimeout(onTimeout, delayMs);
    timer.unref();
    return () => clearTimeout(timer);
  },
  fetch: (input, init) => globalThis.fetch(input, init),
};

export class HttpFetcher implements Fetcher {
  readonly #config: HttpFetcherConfig;

  constructor(config: Partial<HttpFetcherConfig> = {}) {
    this.#config = { ...defaultHttpFetcherConfig, ...config };
  }

  async fetch(request: FetchRequest): Promise<FetchResponse> {
    const offset = startOffset(request);
    const abort = new Abort(request.signal);
    const headers: Record<string, string> = { ...this.#config.headers, 'accept-encoding': 'identity' };
    if (offset > 0) headers.range = `bytes=${offset}-`;

    const cancelConnect = this.#config.schedule(this.#config.connectTimeoutMs, () => abort.timeout('connect'));
    let response: Response;
    try {
      response = await this.#config.fetch(request.url, { headers, signal: abort.signal, redirect: 'follow' });
    } catch (error) {
      throw abort.toError(error, request.url);
    } finally {
      cancelConnect();
    }

    try {
      const { start, totalLength } = interpretHead({ status: response.status, header: (name) => response.headers.get(name) }, request, offset);
      const body = response.body;
      if (body === null) throw new DeviceError('STW_DEVICE_FETCH_FAILED', `no body from ${request.url}`, { details: { url: request.url } });
      return { start, totalLength, body: this.#iterable(body, abort, request, start) };
    } catch (error) {
      abort.cancel();
      await response.body?.cancel().catch(() => {});
      throw error;
    }
  }

  /** The body as an async iterable whose `return()` releases the connection even before the first read. */
  #iterable(body: ReadableStream<Uint8Array>, abort: Abort, request: FetchRequest, start: number): AsyncIterable<Uint8Array> {
    const reader = body.getReader();
    const limits = { schedule: this.#config.schedule, idleTimeoutMs: this.#config.idleTimeoutMs, abort, request, start };
    const chunks = boundedChunks(() => reader.read(), limits, async () => {
      abort.cancel();
      await reader.cancel().catch(() => {});
    });
    const iterator: AsyncIterableIterator<Uint8Array> = {
      next: () => chunks.next(),
      return: async () => {
        abort.cancel();
        await reader.cancel().catch(() => {});
        return chunks.return(undefined);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}
