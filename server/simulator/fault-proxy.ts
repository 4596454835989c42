/**
 * A loopback HTTP proxy between the simulated terminals and the server that injects network
 * faults and counts what the server answered:
 *
 * - `drop`: the connection is cut, half the time before the request reaches the server, half
 *   the time after the server answered (the terminal never learns the outcome: retries must be
 *   idempotent);
 * - `slow`: the answer is held back up to `slowMaxMs`, then sent in small, spaced chunks;
 * - `truncate`: a target download (`/v1/repository/targets/...`) stops part-way and the
 *   connection is cut (the downloader must resume with a Range request).
 *
 * Signed device requests pass unchanged (RFC 9421 covers method, path and digest, not the
 * host). Every server answer is counted by status; a 5xx, or a refused connection (answered
 * 502 here), counts as injected while the server is being restarted by the simulator (and
 * `restartGraceMs` after), otherwise as not injected, with the first few kept for the report.
 *
 * @example
 * const proxy = await FaultProxy.start({ upstream: 'http://127.0.0.1:8080', faults, rates, dice });
 * proxy.restarting = true; ... proxy.restarted(Date.now());
 * proxy.counts(); // { requests, byStatus, faults, fiveXx: { injected, notInjected } }
 */
import { createServer, request as httpRequest, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dice } from './dice.js';
import type { Fault, FaultRates } from './simulation-config.js';

export interface ProxyCounts {
  readonly requests: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly faults: { readonly dropBefore: number; readonly dropAfter: number; readonly slow: number; readonly truncate: number };
  readonly fiveXx: { readonly injected: number; readonly notInjected: number };
  /** The first 5xx answers not caused by a fault (method, path, status, body start). */
  readonly unexplained: readonly string[];
}

export interface FaultProxyOptions {
  readonly upstream: string;
  readonly faults: ReadonlySet<Fault>;
  readonly rates: FaultRates;
  readonly dice: Dice;
  readonly now?: () => number;
}

const UNEXPLAINED_KEPT = 20;
const TARGETS = /^\/v1\/repository\/targets\//;

export class FaultProxy {
  readonly url: string;
  /** Set by the simulator while it restarts the server. */
  restarting = false;
  /** Faults are injected only while this is true (the settle phase turns them off). */
  injecting = true;
  readonly #server: Server;
  readonly #upstream: URL;
  readonly #options: FaultProxyOptions;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256 });
  readonly #now: () => number;
  #restartedAt = -Infinity;
  #requests = 0;
  readonly #byStatus: Record<string, number> = {};
  readonly #faults = { dropBefore: 0, dropAfter: 0, slow: 0, truncate: 0 };
  readonly #fiveXx = { injected: 0, notInjected: 0 };
  readonly #unexplained: string[] = [];

  private constructor(server: Server, url: string, options: FaultProxyOptions) {
    this.#server = server;
    this.url = url;
    this.#upstream = new URL(options.upstream);
    this.#options = options;
    this.#now = options.now ?? (() => Date.now());
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const server = createServer({ keepAlive: true });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new FaultProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      proxy.#handle(request, response).catch(() => response.destroy());
    });
    return proxy;
  }

  /** The server is back: 5xx answers still count as caused by the restart for a grace period. */
  restarted(at: number): void {
    this.restarting = false;
    this.#restartedAt = at;
  }

  counts(): ProxyCounts {
    return { requests: this.#requests, byStatus: { ...this.#byStatus }, faults: { ...this.#faults }, fiveXx: { ...this.#fiveXx }, unexplained: [...this.#unexplained] };
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#agent.destroy();
  }

  #active(fault: Fault): boolean {
    return this.injecting && this.#options.faults.has(fault);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = request.url ?? '/';
    const { dice, rates } = this.#options;
    this.#requests += 1;

    const drop = this.#active('drop') && dice.chance(rates.drop);
    if (drop && dice.chance(0.5)) {
      this.#faults.dropBefore += 1;
      response.socket?.destroy();
      return;
    }
    let upstream: IncomingMessage;
    try {
      upstream = await this.#forward(request, path, body);
    } catch (error) {
      this.#count(request.method ?? 'GET', path, 502, `upstream unreachable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'STW_SIMULATOR_UPSTREAM', message: 'the server could not be reached' } }));
      return;
    }
    const status = upstream.statusCode ?? 502;
    if (status >= 500) {
      const answer = await readAll(upstream);
      this.#count(request.method ?? 'GET', path, status, answer.subarray(0, 200).toString('utf8'));
      if (drop) return this.#dropAfter(response);
      response.writeHead(status, upstream.headers).end(answer);
      return;
    }
    this.#count(request.method ?? 'GET', path, status, '');
    if (drop) {
      await readAll(upstream); // the server did the work; the terminal never hears of it
      return this.#dropAfter(response);
    }
    if (this.#active('truncate') && TARGETS.test(path) && status < 300 && dice.chance(rates.truncate)) {
      this.#faults.truncate += 1;
      return this.#truncate(upstream, response);
    }
    if (this.#active('slow') && dice.chance(rates.slow)) {
      this.#faults.slow += 1;
      return this.#slow(upstream, response, dice.between(0, rates.slowMaxMs));
    }
    response.writeHead(status, upstream.headers);
    upstream.pipe(response);
  }

  #forward(request: IncomingMessage, path: string, body: Buffer): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = httpRequest(
        { host: this.#upstream.hostname, port: this.#upstream.port, method: request.method, path, headers: { ...request.headers, host: this.#upstream.host }, agent: this.#agent },
        resolve,
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  #count(method: string, path: string, status: number, detail: string): void {
    this.#byStatus[status] = (this.#byStatus[status] ?? 0) + 1;
    if (status < 500) return;
    if (this.restarting || this.#now() - this.#restartedAt < this.#options.rates.restartGraceMs) {
      this.#fiveXx.injected += 1;
      return;
    }
    this.#fiveXx.notInjected += 1;
    if (this.#unexplained.length < UNEXPLAINED_KEPT) this.#unexplained.push(`${new Date(this.#now()).toISOString()} ${method} ${path.replace(/\?.*$/, '')} ${status} ${detail}`);
  }

  #dropAfter(response: ServerResponse): void {
    this.#faults.dropAfter += 1;
    response.socket?.destroy();
  }

  async #truncate(upstream: IncomingMessage, response: ServerResponse): Promise<void> {
    const length = Number(upstream.headers['content-length'] ?? 0);
    const keep = Math.floor(length * this.#options.dice.next());
    response.writeHead(upstream.statusCode ?? 200, upstream.headers);
    let sent = 0;
    for await (const chunk of upstream) {
      const buffer = chunk as Buffer;
      if (sent + buffer.length >= keep) {
        response.write(buffer.subarray(0, keep - sent));
        break;
      }
      response.write(buffer);
      sent += buffer.length;
    }
    upstream.destroy();
    // Let the bytes written so far leave before the cut.
    await new Promise<void>((resolve) => setImmediate(resolve));
    response.socket?.destroy();
  }

  async #slow(upstream: IncomingMessage, response: ServerResponse, delayMs: number): Promise<void> {
    const answer = await readAll(upstream);
    await pause(delayMs);
    response.writeHead(upstream.statusCode ?? 200, upstream.headers);
    const pieces = 4;
    const size = Math.ceil(answer.length / pieces);
    for (let offset = 0; offset < answer.length; offset += size) {
      if (response.destroyed) return;
      response.write(answer.subarray(offset, offset + size));
      await pause(Math.min(250, delayMs / pieces));
    }
    response.end();
  }
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
