/**
 * A loopback HTTP server (node:http on 127.0.0.1) for a TUF repository's files, with the
 * means to play a hostile mirror: serve other bytes or a status for any path, stream an
 * endless body, and record every request. Paths are URL-decoded before lookup, so
 * `metadata/3.acme%2Fpos.json` finds the file `metadata/3.acme/pos.json`. `Range: bytes=N-`
 * is honoured (RFC 9110 14.2).
 *
 * @example
 * const server = await TufServer.start((path) => files.get(path));
 * server.override('metadata/timestamp.json', oldTimestampBytes);
 * server.override('targets/fw.bin', 'endless');
 * await server.close();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Looks a decoded path (no leading slash) up in the repository. */
export type FileLookup = (path: string) => Uint8Array | undefined;

/** What to answer instead of the repository's file. */
export type Override =
  | Uint8Array
  | { readonly status: number }
  | 'endless'
  | ((request: IncomingMessage, response: ServerResponse) => void);

export interface RecordedRequest {
  /** As sent, percent-encoding included, without the query. */
  readonly rawPath: string;
  /** Decoded, without the leading slash: the key files are looked up by. */
  readonly path: string;
  readonly range: string | undefined;
}

const ENDLESS_CHUNK = Buffer.alloc(64 * 1024, 0x20);

export class TufServer {
  readonly url: string;
  readonly requests: RecordedRequest[] = [];
  readonly #server: Server;
  readonly #overrides = new Map<string, Override>();

  private constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
  }

  static async start(lookup: FileLookup): Promise<TufServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const instance = new TufServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => instance.#handle(lookup, request, response));
    return instance;
  }

  /** Base URL of the metadata files. */
  get metadataUrl(): string {
    return `${this.url}/metadata`;
  }

  /** Base URL of the target files. */
  get targetsUrl(): string {
    return `${this.url}/targets`;
  }

  /** Answer `path` (decoded, e.g. `metadata/timestamp.json`) with `response` until cleared. */
  override(path: string, response: Override): void {
    this.#overrides.set(path, response);
  }

  /** Drop one override, or all of them. */
  clearOverrides(path?: string): void {
    if (path === undefined) this.#overrides.clear();
    else this.#overrides.delete(path);
  }

  /** Decoded paths requested so far, in order. */
  requestedPaths(): string[] {
    return this.requests.map((request) => request.path);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(lookup: FileLookup, request: IncomingMessage, response: ServerResponse): void {
    const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
    let path: string;
    try {
      path = decodeURIComponent(rawPath).replace(/^\/+/, '');
    } catch {
      response.writeHead(400).end();
      return;
    }
    this.requests.push({ rawPath, path, range: request.headers.range });
    const override = this.#overrides.get(path);
    if (override === undefined) {
      const body = lookup(path);
      if (body === undefined) response.writeHead(404, { 'content-length': '0' }).end();
      else sendBytes(body, request, response);
    } else if (override === 'endless') {
      void sendEndless(response);
    } else if (typeof override === 'function') {
      override(request, response);
    } else if (override instanceof Uint8Array) {
      sendBytes(override, request, response);
    } else {
      response.writeHead(override.status, { 'content-length': '0' }).end();
    }
  }
}

function sendBytes(body: Uint8Array, request: IncomingMessage, response: ServerResponse): void {
  const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  if (match === null) {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength) }).end(body);
    return;
  }
  const first = Number(match[1]);
  if (first >= body.byteLength) {
    response.writeHead(416, { 'content-range': `bytes */${body.byteLength}` }).end();
    return;
  }
  response
    .writeHead(206, {
      'content-type': 'application/octet-stream',
      'content-length': String(body.byteLength - first),
      'content-range': `bytes ${first}-${body.byteLength - 1}/${body.byteLength}`,
    })
    .end(body.subarray(first));
}

/** A body that never ends (no length announced) until the client goes away. */
async function sendEndless(response: ServerResponse): Promise<void> {
  response.writeHead(200, { 'content-type': 'application/octet-stream' });
  const closed = new Promise<void>((resolve) => response.once('close', resolve));
  while (!response.destroyed && !response.writableEnded) {
    if (response.write(ENDLESS_CHUNK)) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      continue;
    }
    await Promise.race([new Promise<void>((resolve) => response.once('drain', resolve)), closed]);
  }
}
