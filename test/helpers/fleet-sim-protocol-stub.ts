/**
 * A small loopback stand-in for the Steward server's device protocol (docs/protocol.md), for
 * SDK tests that must not depend on the real fleet routes: enrolment (challenge, token or
 * certificate method), RFC 9421-signed check-ins verified with `http-message-signatures`
 * (digest, 300 s window, nonce replay, key id = device), director documents signed with the
 * stub director's key (version bumped whenever the plan changes, ETag/304), and the image
 * repository's metadata and targets served from a `TufRepository`.
 *
 * @example
 * const stub = await ProtocolStub.start({ repository, now: () => clock });
 * stub.plan('dev_1', { images: [image] });
 * await stub.close();
 */
import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVerifier, httpbis } from 'http-message-signatures';
import { DirectorTargets, generateKeyPair, Metadata, PublicKey, type GeneratedKeyPair, type InstallWindow, type Root } from '../../manifests/index.js';
import { verifyChallengeSignature } from '../../manifests/x509/challenge-signature.js';
import { buildRoot, signed } from './manifest-builders.js';
import type { TufRepository } from './tuf-repository.js';

export interface StubDevice {
  readonly deviceId: string;
  readonly serial: string;
  readonly hardwareModel: string;
  publicKey: PublicKey;
  disabled: boolean;
}

export interface StubImage {
  readonly name: string;
  readonly length: number;
  readonly hashes: { sha256: string; sha512?: string };
  readonly hardwareId: string;
  readonly component: string;
  readonly version: string;
  readonly rolloutId?: string;
}

export interface StubPlan {
  readonly images: readonly StubImage[];
  readonly cancelledRollouts?: readonly string[];
  readonly installWindow?: InstallWindow;
  readonly pollIntervalSeconds?: number;
}

export interface RecordedCheckIn {
  readonly deviceId: string;
  readonly status: number;
  readonly body: Record<string, unknown> | undefined;
  readonly code?: string;
  readonly ifNoneMatch?: string | undefined;
}

interface DirectorState {
  version: number;
  planKey: string;
  bytes: Buffer;
}

export class ProtocolStub {
  readonly url: string;
  readonly devices = new Map<string, StubDevice>();
  readonly checkIns: RecordedCheckIn[] = [];
  /** Events accepted, by id (a repeated id is not recorded twice). */
  readonly events = new Map<string, Record<string, unknown> & { deviceId: string }>();
  readonly tokens = new Set<string>(['stw_enrol_test']);
  directorRoot: Metadata<Root>;
  directorKey: GeneratedKeyPair;
  /** Every director root version served at /v1/director/metadata/N.root.json. */
  readonly directorRoots = new Map<number, Buffer>();
  readonly #directorRootKey: GeneratedKeyPair;
  /** The stub's clock (signature window, director expiry). The certificate method checks the leaf's key, not its chain. */
  now: () => Date;
  /** Requests for image repository files (metadata and targets). */
  repositoryRequests = 0;
  /** Answer this many check-ins with 503 first. */
  failCheckIns = 0;
  readonly #server: Server;
  readonly #repository: TufRepository;
  readonly #plans = new Map<string, StubPlan>();
  readonly #directors = new Map<string, DirectorState>();
  readonly #overrides = new Map<string, Buffer>();
  readonly #challenges = new Set<string>();
  readonly #nonces = new Set<string>();

  private constructor(server: Server, url: string, repository: TufRepository, director: { root: Metadata<Root>; key: GeneratedKeyPair; rootKey: GeneratedKeyPair }, now: () => Date) {
    this.#server = server;
    this.url = url;
    this.#repository = repository;
    this.directorRoot = director.root;
    this.directorKey = director.key;
    this.#directorRootKey = director.rootKey;
    this.directorRoots.set(1, director.root.toBytes());
    this.now = now;
  }

  static async start(options: { repository: TufRepository; now?: () => Date }): Promise<ProtocolStub> {
    const rootKey = generateKeyPair('ed25519');
    const key = generateKeyPair('ed25519');
    const one = (pair: GeneratedKeyPair) => ({ keys: [pair.publicKey], threshold: 1 });
    const root = await signed(buildRoot({ roleKeys: { root: one(rootKey), targets: one(key), snapshot: one(rootKey), timestamp: one(rootKey) } }), rootKey);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const stub = new ProtocolStub(server, `http://127.0.0.1:${port}`, options.repository, { root, key, rootKey }, options.now ?? (() => new Date()));
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void stub.#handle(request, response).catch((error: unknown) => send(response, 500, { error: { code: 'STW_INTERNAL', message: String(error) } }));
    });
    return stub;
  }

  /** A new director root (version + 1, signed by the unchanged root key) with a new online key; every document is signed again. */
  async rotateDirectorKey(): Promise<void> {
    const key = generateKeyPair('ed25519');
    const one = (pair: GeneratedKeyPair) => ({ keys: [pair.publicKey], threshold: 1 });
    const version = this.directorRoot.signed.version + 1;
    this.directorRoot = await signed(buildRoot({ version, roleKeys: { root: one(this.#directorRootKey), targets: one(key), snapshot: one(this.#directorRootKey), timestamp: one(this.#directorRootKey) } }), this.#directorRootKey);
    this.directorRoots.set(version, this.directorRoot.toBytes());
    this.directorKey = key;
    for (const state of this.#directors.values()) state.planKey = '';
  }

  /** What the director tells `deviceId` from now on. */
  plan(deviceId: string, plan: StubPlan): void {
    this.#plans.set(deviceId, plan);
  }

  /** Serve exactly these director bytes to `deviceId` (a compromised or replaying director); undefined stops. */
  overrideDirector(deviceId: string, bytes: Buffer | undefined): void {
    if (bytes === undefined) this.#overrides.delete(deviceId);
    else this.#overrides.set(deviceId, bytes);
  }

  /** The director document `deviceId` would get now (built and signed on demand). */
  async directorFor(deviceId: string): Promise<{ version: number; bytes: Buffer }> {
    const plan = this.#plans.get(deviceId) ?? { images: [] };
    const planKey = JSON.stringify(plan);
    const current = this.#directors.get(deviceId);
    if (current && current.planKey === planKey) return current;
    const version = (current?.version ?? 0) + 1;
    const bytes = await this.signDirector(deviceId, plan, version);
    const state = { version, planKey, bytes };
    this.#directors.set(deviceId, state);
    return state;
  }

  /** Sign a director document as the stub's director (also for documents a real server would never produce). */
  async signDirector(deviceId: string, plan: StubPlan, version: number, expires = new Date(this.now().getTime() + 86_400_000)): Promise<Buffer> {
    const targets = DirectorTargets.build({
      version,
      expires: expires.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      instructions: { deviceId, pollIntervalSeconds: plan.pollIntervalSeconds ?? 300, installWindow: plan.installWindow, correlationId: undefined, cancelledRollouts: plan.cancelledRollouts },
      images: plan.images.map((image) => ({ ...image })),
    });
    return (await Metadata.create(targets).sign(this.directorKey.signer)).toBytes();
  }

  eventsOf(deviceId: string): Record<string, unknown>[] {
    return [...this.events.values()].filter((event) => event.deviceId === deviceId);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const body = await readBody(request);
    if (request.method === 'GET' && path.startsWith('/v1/repository/')) {
      this.repositoryRequests += 1;
      const file = this.#repository.lookup(decodeURIComponent(path.slice('/v1/repository/'.length)));
      if (file === undefined) return send(response, 404, { error: { code: 'STW_NOT_FOUND', message: path } });
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.byteLength) }).end(file);
      return;
    }
    const directorRoot = /^\/v1\/director\/metadata\/(\d+)\.root\.json$/.exec(path);
    if (request.method === 'GET' && directorRoot) {
      const root = this.directorRoots.get(Number(directorRoot[1]));
      if (root === undefined) return send(response, 404, { error: { code: 'STW_NOT_FOUND', message: path } });
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(root.length) }).end(root);
      return;
    }
    if (request.method === 'POST' && path === '/v1/devices/enrolment/challenge') {
      const challenge = randomBytes(32).toString('base64url');
      this.#challenges.add(challenge);
      return send(response, 201, { challenge, expiresAt: new Date(this.now().getTime() + 300_000).toISOString() });
    }
    if (request.method === 'POST' && path === '/v1/devices/enrol') return this.#enrol(JSON.parse(body.toString()) as Record<string, unknown>, response);
    const checkIn = /^\/v1\/devices\/([^/]+)\/check-in$/.exec(path);
    if (request.method === 'POST' && checkIn) return this.#checkIn(decodeURIComponent(checkIn[1]!), request, body, response);
    return send(response, 404, { error: { code: 'STW_NOT_FOUND', message: path } });
  }

  #enrol(request: Record<string, unknown>, response: ServerResponse): void {
    const challenge = String(request.challenge);
    if (!this.#challenges.delete(challenge)) return send(response, 400, { error: { code: 'STW_DEVICE_CHALLENGE_INVALID', message: 'unknown challenge' } });
    const challengeBytes = Buffer.from(challenge, 'base64url');
    const publicKey = PublicKey.fromJSON(request.deviceKey);
    if (!publicKey.verify(challengeBytes, String(request.deviceKeySignature))) return send(response, 400, { error: { code: 'STW_DEVICE_PROOF_INVALID', message: 'device key proof' } });
    let serial: string;
    let hardwareModel: string;
    if (request.method === 'token') {
      if (!this.tokens.has(String(request.enrolmentToken))) return send(response, 401, { error: { code: 'STW_ENROLMENT_TOKEN_INVALID', message: 'token' } });
      serial = String(request.serial);
      hardwareModel = String(request.hardwareModel);
    } else {
      const leaf = new X509Certificate(String((request.certificateChain as string[])[0]));
      const signature = Buffer.from(String(request.challengeSignature), 'base64');
      if (!verifyChallengeSignature({ publicKeyPem: leaf.publicKey.export({ format: 'pem', type: 'spki' }).toString(), challenge: challengeBytes, signature })) {
        return send(response, 400, { error: { code: 'STW_DEVICE_PROOF_INVALID', message: 'manufacturing key proof' } });
      }
      const subject = Object.fromEntries(leaf.subject.split('\n').map((line) => line.split('=') as [string, string]));
      serial = subject.serialNumber ?? '';
      hardwareModel = subject.OU ?? '';
    }
    if ([...this.devices.values()].some((device) => device.serial === serial)) return send(response, 409, { error: { code: 'STW_DEVICE_ALREADY_ENROLLED', message: serial } });
    const deviceId = `dev_${randomUUID()}`;
    this.devices.set(deviceId, { deviceId, serial, hardwareModel, publicKey, disabled: false });
    send(response, 201, {
      deviceId,
      serial,
      hardwareModel,
      trust: { imageRepositoryRoot: JSON.parse(Buffer.from(this.#repository.metadata('root', 1)).toString()), directorRoot: this.directorRoot.toJSON() },
      endpoints: { metadataBaseUrl: '/v1/repository/metadata', targetBaseUrl: '/v1/repository/targets', checkIn: `/v1/devices/${deviceId}/check-in` },
    });
  }

  async #checkIn(deviceId: string, request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
    const refuse = (status: number, code: string) => {
      this.checkIns.push({ deviceId, status, body: undefined, code });
      send(response, status, { error: { code, message: code } });
    };
    const device = this.devices.get(deviceId);
    if (!device) return refuse(404, 'STW_NOT_FOUND');
    const verdict = await this.#verifySignature(device, request, body);
    if (verdict !== 'ok') return refuse(401, verdict);
    if (device.disabled) return refuse(403, 'STW_DEVICE_DISABLED');
    if (this.failCheckIns > 0) {
      this.failCheckIns -= 1;
      return refuse(503, 'STW_UNAVAILABLE');
    }
    const report = JSON.parse(body.toString()) as Record<string, unknown>;
    for (const event of (report.events ?? []) as Record<string, unknown>[]) {
      if (!this.events.has(String(event.id))) this.events.set(String(event.id), { ...event, deviceId });
    }
    const override = this.#overrides.get(deviceId);
    const document = override ?? (await this.directorFor(deviceId)).bytes;
    const etag = `"${createHash('sha256').update(document).digest('hex')}"`;
    const unchanged = request.headers['if-none-match'] === etag;
    this.checkIns.push({ deviceId, status: unchanged ? 304 : 200, body: report, ifNoneMatch: request.headers['if-none-match'] });
    if (unchanged) {
      response.writeHead(304, { etag }).end();
      return;
    }
    const answer = Buffer.from(`{"director":${document.toString()},"pollIntervalSeconds":${this.#plans.get(deviceId)?.pollIntervalSeconds ?? 300}}`);
    response.writeHead(200, { 'content-type': 'application/json', etag, 'content-length': String(answer.length) }).end(answer);
  }

  /** protocol.md section 2, as the server does it. */
  async #verifySignature(device: StubDevice, request: IncomingMessage, body: Buffer): Promise<'ok' | string> {
    const digest = `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
    if (request.headers['content-digest'] !== digest) return 'STW_DEVICE_SIGNATURE_INVALID';
    const input = String(request.headers['signature-input'] ?? '');
    const created = Number(/;created=(\d+)/.exec(input)?.[1] ?? NaN);
    const nonce = /;nonce="([^"]+)"/.exec(input)?.[1];
    const keyid = /;keyid="([^"]+)"/.exec(input)?.[1];
    if (!Number.isFinite(created) || Math.abs(created - this.now().getTime() / 1000) > 300) return 'STW_DEVICE_SIGNATURE_EXPIRED';
    if (keyid !== device.deviceId || nonce === undefined) return 'STW_DEVICE_SIGNATURE_INVALID';
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
    const keyLookup = async () => ({ id: device.deviceId, algs: ['ed25519'], verify: createVerifier(device.publicKey.keyObject()!, 'ed25519') });
    const valid = await httpbis
      .verifyMessage(
        { keyLookup, requiredFields: ['@method', '@path', 'content-digest'], requiredParams: ['created', 'nonce', 'keyid', 'alg'], notAfter: new Date(this.now().getTime() + 300_000), tolerance: 300 },
        { method: request.method ?? 'POST', url: `${this.url}${request.url ?? '/'}`, headers },
      )
      .catch(() => false);
    if (valid !== true) return 'STW_DEVICE_SIGNATURE_INVALID';
    const nonceKey = `${device.deviceId} ${nonce}`;
    if (this.#nonces.has(nonceKey)) return 'STW_DEVICE_REPLAYED';
    this.#nonces.add(nonceKey);
    return 'ok';
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(bytes.length) }).end(bytes);
}
