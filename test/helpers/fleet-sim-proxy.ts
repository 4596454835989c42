/**
 * A loopback HTTP proxy in front of a real Steward server that plays a compromised or
 * replaying director: every request is passed through unchanged (signed requests stay valid:
 * RFC 9421 covers method, path and digest, not the host), every request is recorded (so a
 * test can replay one), and the director document in a check-in answer can be swapped for
 * another (`director`), as a server whose director key was stolen would serve it.
 *
 * @example
 * const proxy = await DirectorProxy.start(server.url);
 * proxy.director = async (deviceId, original) => forge(original);
 * await proxy.close();
 */
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Replaces the director document of a check-in answer; undefined keeps the original. */
export type DirectorSwap = (deviceId: string, original: Record<string, unknown>) => Promise<Record<string, unknown> | undefined>;

export class DirectorProxy {
  readonly url: string;
  readonly requests: RecordedRequest[] = [];
  director: DirectorSwap | undefined;
  readonly #server: Server;
  readonly #upstream: URL;

  private constructor(server: Server, url: string, upstream: string) {
    this.#server = server;
    this.url = url;
    this.#upstream = new URL(upstream);
  }

  static async start(upstream: string): Promise<DirectorProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new DirectorProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, upstream);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      proxy.#forward(request, response).catch(() => response.destroy());
    });
    return proxy;
  }

  /** The recorded requests whose path matches. */
  recorded(path: RegExp): RecordedRequest[] {
    return this.requests.filter((request) => path.test(request.path));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = request.url ?? '/';
    this.requests.push({ method: request.method ?? 'GET', path, headers: request.headers, body });
    const checkIn = /^\/v1\/devices\/([^/?]+)\/check-in$/.exec(path);
    const headers = { ...request.headers, host: this.#upstream.host };
    // While swapping, always fetch the full answer (If-None-Match is not covered by the signature).
    if (checkIn && this.director !== undefined) delete headers['if-none-match'];
    const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = httpRequest({ host: this.#upstream.hostname, port: this.#upstream.port, method: request.method, path, headers }, resolve);
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    if (!checkIn || upstream.statusCode !== 200 || this.director === undefined) {
      response.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(response);
      return;
    }
    const answerChunks: Buffer[] = [];
    for await (const chunk of upstream) answerChunks.push(chunk as Buffer);
    const answer = JSON.parse(Buffer.concat(answerChunks).toString('utf8')) as { director: Record<string, unknown>; pollIntervalSeconds?: number };
    const swapped = await this.director(decodeURIComponent(checkIn[1]!), answer.director);
    const document = swapped ?? answer.director;
    const bytes = Buffer.from(JSON.stringify({ ...answer, director: document }));
    const etag = `"${createHash('sha256').update(JSON.stringify(document)).digest('hex')}"`;
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes.length), etag }).end(bytes);
  }
}
