/**
 * `NodeHttpFetcher`: a `Fetcher` on Node's own `node:http` / `node:https`, the SDK's default
 * in Node. Same contract as `HttpFetcher` (global fetch): Range resume (RFC 9110 14.2, a 206
 * must start where asked, a 200 means from byte 0), the size cap on the declared length and
 * while streaming, `connectTimeoutMs` until the response head and `idleTimeoutMs` per body
 * chunk. Why a second one: on a terminal the fetch machinery (undici and web streams) is the
 * largest part of the client's memory and of a small request's CPU; measured on
 * bench/tuf-client.ts, loading `fetch` costs about 6 MiB more resident memory than
 * `node:http`, and a metadata round trip takes about twice the CPU.
 *
 * - Connections are kept alive and shared by every fetcher of the process that brings no
 *   agents of its own, as `fetch` shares its dispatcher (idle sockets do not hold the process
 *   open). A request that fails on a reused connection before any response (the
 *   server closed it while it sat idle) is sent again, up to three times, as the pool may
 *   hold more than one such connection (GET is idempotent, RFC 9110 9.2.2).
 * - Redirects (301, 302, 303, 307, 308; e.g. a target served from object storage) are
 *   followed up to `maxRedirects`, never from https to http; credential headers
 *   (authorization, proxy-authorization, cookie) are not sent on to another origin. The
 *   connect timeout covers the whole chain until the final response head.
 * - A response with a content coding other than identity is refused (identity is asked for).
 * - `agents` replaces the agents, e.g. an https.Agent with the operator's CA pinned.
 *
 * @example
 * const fetcher = new NodeHttpFetcher({ connectTimeoutMs: 10_000 });
 * const { start, body } = await fetcher.fetch({ url, maxLength: 1 << 20, offset: 4096 });
 * for await (const chunk of body) sink.write(chunk);
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { DeviceError } from '../errors.js';
import { Abort } from './fetch-abort.js';
import type { FetchRequest, FetchResponse, Fetcher } from './fetcher.js';
import { defaultHttpFetcherConfig, type TimerScheduler } from './http-fetcher.js';
import { boundedChunks } from './bounded-chunks.js';
import { interpretHead, startOffset } from './response-head.js';

export interface NodeHttpFetcherConfig {
  /** Milliseconds from sending the request until the response head arrives. */
  readonly connectTimeoutMs: number;
  /** Milliseconds to wait for any one body chunk before giving up. */
  readonly idleTimeoutMs: number;
  /** Extra request headers (e.g. a user agent). */
  readonly headers: Readonly<Record<string, string>>;
  /** Redirects followed per request, at most. */
  readonly maxRedirects: number;
  readonly schedule: TimerScheduler;
  /** Agents to use instead of the process-wide keep-alive agents. */
  readonly agents?: { readonly http?: HttpAgent; readonly https?: HttpsAgent };
}

export const defaultNodeHttpFetcherConfig: NodeHttpFetcherConfig = {
  connectTimeoutMs: defaultHttpFetcherConfig.connectTimeoutMs,
  idleTimeoutMs: defaultHttpFetcherConfig.idleTimeoutMs,
  headers: {},
  maxRedirects: 5,
  schedule: defaultHttpFetcherConfig.schedule,
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Resends after a dead kept-alive connection, at most. */
const STALE_RESENDS = 3;
/** Request headers that carry credentials: not sent on to another origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

export class NodeHttpFetcher implements Fetcher {
  readonly #config: NodeHttpFetcherConfig;
  #httpAgent: HttpAgent | undefined;
  #httpsAgent: HttpsAgent | undefined;

  constructor(config: Partial<NodeHttpFetcherConfig> = {}) {
    this.#config = { ...defaultNodeHttpFetcherConfig, ...config };
  }

  async fetch(request: FetchRequest): Promise<FetchResponse> {
    const offset = startOffset(request);
    let url = parseUrl(request.url);
    let headers: Record<string, string> = { ...this.#config.headers, 'accept-encoding': 'identity' };
    if (offset > 0) headers.range = `bytes=${offset}-`;
    const abort = new Abort(request.signal);
    // One connect timeout until the final response head, redirects included.
    const cancelConnect = this.#config.schedule(this.#config.connectTimeoutMs, () => abort.timeout('connect'));
    try {
      for (let redirects = 0; ; redirects++) {
        const response = await this.#head(url, headers, abort, request.url);
        const location = response.headers.location;
        if (!REDIRECTS.has(response.statusCode ?? 0) || location === undefined) {
          cancelConnect();
          return await this.#answer(response, abort, request, offset);
        }
        await this.#release(response, abort);
        if (redirects >= this.#config.maxRedirects) {
          throw new DeviceError('STW_DEVICE_FETCH_FAILED', `more than ${this.#config.maxRedirects} redirects fetching ${request.url}`, {
            details: { url: request.url, reason: 'too-many-redirects' },
          });
        }
        const next = parseUrl(location, url);
        if (url.protocol === 'https:' && next.protocol !== 'https:') {
          throw new DeviceError('STW_DEVICE_FETCH_FAILED', `${request.url} redirected from https to ${next.protocol}`, {
            details: { url: request.url, reason: 'redirect-downgrade' },
          });
        }
        // Credentials stay with the origin they were meant for (as fetch does on a cross-origin redirect).
        if (next.origin !== url.origin) headers = withoutCredentials(headers);
        url = next;
      }
    } catch (error) {
      abort.cancel();
      throw error;
    } finally {
      cancelConnect();
    }
  }

  async #answer(response: IncomingMessage, abort: Abort, request: FetchRequest, offset: number): Promise<FetchResponse> {
    try {
      const { start, totalLength } = interpretHead({ status: response.statusCode ?? 0, header: (name) => headerValue(response, name) }, request, offset);
      const encoding = headerValue(response, 'content-encoding');
      if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') {
        // Asked for identity (RFC 9110 12.5.3); coded bytes would fail every length and hash check later, less clearly.
        throw new DeviceError('STW_DEVICE_FETCH_FAILED', `${request.url} came with content-encoding ${encoding}`, {
          details: { url: request.url, reason: 'content-encoding', encoding },
        });
      }
      return { start, totalLength, body: this.#iterable(response, abort, request, start) };
    } catch (error) {
      // Release before letting go of the caller's signal: an abort must still cut the drain.
      await this.#release(response, abort);
      abort.cancel();
      throw error;
    }
  }

  /**
   * Send the request and wait for the response head. A request that fails on a kept-alive
   * connection the server had closed is sent again (the pool may hold more than one such
   * connection), at most STALE_RESENDS times.
   */
  async #head(url: URL, headers: Record<string, string>, abort: Abort, original: string): Promise<IncomingMessage> {
    for (let resends = 0; ; resends++) {
      try {
        return await this.#send(url, headers, abort);
      } catch (error) {
        if (error instanceof StaleConnection && resends < STALE_RESENDS) continue;
        throw abort.toError(error instanceof StaleConnection ? error.cause : error, original);
      }
    }
  }

  #send(url: URL, headers: Record<string, string>, abort: Abort): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const https = url.protocol === 'https:';
      const options = { method: 'GET', headers, agent: https ? this.#agentForHttps() : this.#agentForHttp() };
      const client: ClientRequest = https ? httpsRequest(url, options) : httpRequest(url, options);
      const onAbort = (): void => {
        client.destroy(new Error('aborted'));
      };
      if (abort.signal.aborted) onAbort();
      else abort.signal.addEventListener('abort', onAbort, { once: true });
      client.once('response', (response) => {
        abort.signal.removeEventListener('abort', onAbort);
        resolve(response);
      });
      client.once('error', (error: NodeJS.ErrnoException) => {
        abort.signal.removeEventListener('abort', onAbort);
        const stale = client.reusedSocket && !abort.signal.aborted && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        reject(stale ? new StaleConnection(error) : error);
      });
      client.end();
    });
  }

  /** The body as an async iterable whose `return()` releases the connection even before the first read. */
  #iterable(response: IncomingMessage, abort: Abort, request: FetchRequest, start: number): AsyncIterable<Uint8Array> {
    const onAbort = (): void => {
      response.destroy(new Error('aborted'));
    };
    if (abort.signal.aborted) onAbort();
    else abort.signal.addEventListener('abort', onAbort, { once: true });
    const release = (): void => {
      abort.signal.removeEventListener('abort', onAbort);
      abort.cancel();
      if (!response.complete) response.destroy();
    };
    const source = response[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const limits = { schedule: this.#config.schedule, idleTimeoutMs: this.#config.idleTimeoutMs, abort, request, start };
    const chunks = boundedChunks(() => source.next(), limits, release);
    const iterator: AsyncIterableIterator<Uint8Array> = {
      next: () => chunks.next(),
      return: async () => {
        release();
        return chunks.return(undefined);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /**
   * Let go of a response whose body is not wanted (a refusal, a redirect): read a small one
   * to its end (within the idle timeout), so its connection is free again before the next
   * request is made; cut a large one, one of unknown length, one that stalls, or any once the
   * request is aborted or timed out.
   */
  async #release(response: IncomingMessage, abort: Abort): Promise<void> {
    const declared = Number(response.headers['content-length'] ?? Number.NaN);
    if (!Number.isSafeInteger(declared) || declared > DRAIN_LIMIT || abort.signal.aborted) {
      response.destroy();
      return;
    }
    const cut = (): void => {
      response.destroy();
    };
    const cancelIdle = this.#config.schedule(this.#config.idleTimeoutMs, cut);
    abort.signal.addEventListener('abort', cut, { once: true });
    await new Promise<void>((resolve) => {
      response.once('end', resolve).once('close', resolve).once('error', () => resolve());
      response.resume();
    });
    cancelIdle();
    abort.signal.removeEventListener('abort', cut);
  }

  #agentForHttp(): HttpAgent {
    this.#httpAgent ??= this.#config.agents?.http ?? (sharedAgents.http ??= new HttpAgent({ keepAlive: true }));
    return this.#httpAgent;
  }

  #agentForHttps(): HttpsAgent {
    this.#httpsAgent ??= this.#config.agents?.https ?? (sharedAgents.https ??= new HttpsAgent({ keepAlive: true }));
    return this.#httpsAgent;
  }
}

/** The keep-alive agents of every fetcher without its own, made on first use. */
const sharedAgents: { http?: HttpAgent; https?: HttpsAgent } = {};

/** A request that failed on a kept-alive connection the server had already closed. */
class StaleConnection extends Error {
  constructor(override readonly cause: unknown) {
    super('stale keep-alive connection');
  }
}

/** Bodies up to this size are read to their end after a refusal, so the connection stays usable (a 404 for the next root, TUF 5.3.3). */
const DRAIN_LIMIT = 64 * 1024;



function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
}

function parseUrl(value: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch (error) {
    throw new DeviceError('STW_DEVICE_FETCH_FAILED', `not a URL: ${value}`, { cause: error, details: { url: value, reason: 'bad-url' } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DeviceError('STW_DEVICE_FETCH_FAILED', `${value} is not an http(s) URL`, { details: { url: value, reason: 'bad-url' } });
  }
  return url;
}

function headerValue(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
