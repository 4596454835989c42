/**
 * A Steward server for fleet tests: like `startTestServer`, plus a director key in the
 * online keyring, a controllable clock, a replaceable rollout planner, the director root
 * uploaded, and simulated terminals that enrol and sign their requests (RFC 9421 via the
 * `http-message-signatures` package, RFC 9530 digests) the way protocol.md says.
 *
 * @example
 * const fleet = await startFleetServer(t, { database: 'postgres' });
 * const terminal = await fleet.enrolWithToken({ serial: 'T100-1' });
 * const answer = await terminal.checkIn({ installed: [] });
 */
import { createHash, generateKeyPairSync, randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { httpbis } from 'http-message-signatures';
import type { Test } from 'tap';
import { generateKeyPair, Metadata, PublicKey, type GeneratedKeyPair } from '../../manifests/index.js';
import { buildServer, issueToken, OnlineKeyring, resolveConfig, type Config } from '../../server/index.js';
import { openBlobStore } from '../../server/blobs/index.js';
import type { ProfileSource } from '../../server/fleet/index.js';
import type { DeviceEventRecord, DeviceFacts, DevicePlan, RolloutPlanner } from '../../server/fleet/rollouts/rollout-planner.js';
import { buildRoot } from '../../server/repository/ceremony.js';
import { withTestDatabase, type DatabaseKind } from './databases.js';
import { expectOk, initialiseRepository, operator, type TestRepository, type TestServer } from './server-harness.js';
import { FIXTURE_NOW } from './x509-fixtures.js';

const FAR = new Date('2099-01-01T00:00:00Z');

/** A planner whose plan the test sets, and which remembers what it was told. */
export class FakePlanner implements RolloutPlanner {
  plan: DevicePlan = { images: [], cancelledRollouts: [] };
  readonly facts: DeviceFacts[] = [];
  readonly recorded: { deviceId: string; events: readonly DeviceEventRecord[] }[] = [];

  planFor(_db: unknown, device: DeviceFacts): Promise<DevicePlan> {
    this.facts.push(device);
    return Promise.resolve(this.plan);
  }

  recordEvents(_db: unknown, deviceId: string, events: readonly DeviceEventRecord[]): Promise<void> {
    this.recorded.push({ deviceId, events });
    return Promise.resolve();
  }
}

export interface FleetServerOptions {
  readonly database?: DatabaseKind;
  readonly config?: Partial<Config>;
  /** Upload a director root (default true). */
  readonly directorRoot?: boolean;
  readonly profiles?: ProfileSource;
}

export interface FleetTestServer extends TestServer {
  readonly planner: FakePlanner;
  readonly repo: TestRepository;
  readonly director: { readonly online: GeneratedKeyPair; readonly rootKey: GeneratedKeyPair };
  now: Date;
  /** Move the clock by `seconds`. */
  advance(seconds: number): void;
  /** Upload the director root `version` (1 by default), signed by the director root key. */
  uploadDirectorRoot(version?: number): Promise<LightMyRequestResponse>;
  enrolmentToken(body?: Record<string, unknown>): Promise<string>;
  /** A new terminal key (not enrolled). */
  terminal(): TestTerminal;
  enrolWithToken(options?: { serial?: string; hardwareModel?: string; token?: string }): Promise<TestTerminal>;
}

export async function startFleetServer(t: Test, options: FleetServerOptions = {}): Promise<FleetTestServer> {
  const database = await withTestDatabase(t, options.database ?? 'sqlite');
  const scratch = mkdtempSync(join(tmpdir(), 'steward-fleet-'));
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  const online = { snapshot: generateKeyPair('ed25519'), timestamp: generateKeyPair('ed25519') };
  const director = { online: generateKeyPair('ed25519'), rootKey: generateKeyPair('ed25519') };
  const config = resolveConfig({
    port: 0, databaseUrl: database.url, blobs: { kind: 'fs', dir: join(scratch, 'blobs') }, keysDir: join(scratch, 'keys'),
    logLevel: 'silent', resignIntervalSeconds: 0, fleetPruneIntervalSeconds: 0, webhookIntervalMilliseconds: 0, ...options.config,
  });
  const planner = new FakePlanner();
  const state = { now: new Date(FIXTURE_NOW) };
  const app = await buildServer(config, {
    database, blobs: openBlobStore(config.blobs), clock: () => state.now, planner, ...(options.profiles ? { profiles: options.profiles } : {}),
    keyring: new OnlineKeyring([online.snapshot.signer, online.timestamp.signer, director.online.signer]),
  });
  t.teardown(() => app.close());
  const { token } = await issueToken(database.db, { scope: { kind: 'operator' }, label: 'test operator' });
  const base: TestServer = { app, database, config, operatorToken: token, online, url: undefined };
  const repo = await initialiseRepository(base, { vendors: ['acme'] });
  const server: FleetTestServer = {
    ...base,
    planner,
    repo,
    director,
    get now() { return state.now; },
    set now(value: Date) { state.now = value; },
    advance(seconds) { state.now = new Date(state.now.getTime() + seconds * 1000); },
    async uploadDirectorRoot(version = 1) {
      const one = (pair: GeneratedKeyPair) => ({ keys: [pair.publicKey], threshold: 1 });
      const root = buildRoot({ root: one(director.rootKey), targets: one(director.online), snapshot: one(director.online), timestamp: one(director.online), expires: FAR, version });
      return operator(base, 'PUT', '/v1/director/root', (await Metadata.create(root).sign(director.rootKey.signer)).toJSON());
    },
    async enrolmentToken(body = {}) {
      const response = await operator(base, 'POST', '/v1/operator/enrolment-tokens', { label: 'test', ...body });
      expectOk(response, 'issue enrolment token');
      return response.json<{ token: string }>().token;
    },
    terminal: () => new TestTerminal(server),
    async enrolWithToken(enrol = {}) {
      const terminal = new TestTerminal(server);
      const response = await terminal.enrolWithToken({ token: enrol.token ?? (await server.enrolmentToken()), serial: enrol.serial ?? `T100-${randomBytes(4).toString('hex')}`, hardwareModel: enrol.hardwareModel ?? 't100' });
      expectOk(response, 'enrol');
      return terminal;
    },
  };
  if (options.directorRoot ?? true) expectOk(await server.uploadDirectorRoot(), 'upload director root');
  return server;
}

/** An operator request with any method (the shared helper knows GET, POST, PUT, DELETE). */
export function asOperator(server: TestServer, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return server.app.inject({ method, url, headers: { authorization: `Bearer ${server.operatorToken}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

export interface SignOptions {
  readonly created?: Date;
  readonly nonce?: string;
  /** Sign as this key id (default: the terminal's device id). */
  readonly keyId?: string;
  /** Sign with this key instead of the terminal's. */
  readonly key?: KeyObject;
  readonly headers?: Record<string, string>;
  /** Send these bytes instead of the signed body (a tampered body). */
  readonly sendBody?: string;
}

/** A simulated terminal: a device key, and once enrolled, its device id. */
export class TestTerminal {
  readonly #server: FleetTestServer;
  readonly privateKey: KeyObject;
  readonly publicKey: PublicKey;
  deviceId = '';

  constructor(server: FleetTestServer) {
    this.#server = server;
    this.privateKey = generateKeyPairSync('ed25519').privateKey;
    this.publicKey = PublicKey.fromKeyObject(this.privateKey);
  }

  async challenge(): Promise<string> {
    const response = await this.#server.app.inject({ method: 'POST', url: '/v1/devices/enrolment/challenge' });
    expectOk(response, 'challenge');
    return response.json<{ challenge: string }>().challenge;
  }

  /** protocol.md 1.2: Ed25519 over the challenge bytes, hex. */
  proof(challenge: string): string {
    return cryptoSign(null, Buffer.from(challenge, 'base64url'), this.privateKey).toString('hex');
  }

  async enrol(body: Record<string, unknown>): Promise<LightMyRequestResponse> {
    const response = await this.#server.app.inject({ method: 'POST', url: '/v1/devices/enrol', payload: body });
    if (response.statusCode === 201) this.deviceId = response.json<{ deviceId: string }>().deviceId;
    return response;
  }

  async enrolWithToken(options: { token: string; serial: string; hardwareModel: string; challenge?: string }): Promise<LightMyRequestResponse> {
    const challenge = options.challenge ?? (await this.challenge());
    return this.enrol({ method: 'token', enrolmentToken: options.token, serial: options.serial, hardwareModel: options.hardwareModel, challenge, deviceKey: this.publicKey.toJSON(), deviceKeySignature: this.proof(challenge) });
  }

  /** A signed request as protocol.md section 2 describes, sent with inject. */
  async send(method: 'GET' | 'POST', url: string, body: unknown, options: SignOptions = {}): Promise<LightMyRequestResponse> {
    const headers = await this.signedHeaders(method, url, body === undefined ? undefined : JSON.stringify(body), options);
    const payload = options.sendBody ?? (body === undefined ? undefined : JSON.stringify(body));
    return this.#server.app.inject({ method, url, headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers }, ...(payload === undefined ? {} : { payload }) });
  }

  checkIn(body: unknown, options: SignOptions = {}): Promise<LightMyRequestResponse> {
    return this.send('POST', `/v1/devices/${this.deviceId}/check-in`, body, options);
  }

  async signedHeaders(method: string, url: string, body: string | undefined, options: SignOptions = {}): Promise<Record<string, string>> {
    const digest = `sha-256=:${createHash('sha256').update(body ?? '').digest('base64')}:`;
    const key = options.key ?? this.privateKey;
    const keyId = options.keyId ?? this.deviceId;
    const signed = await httpbis.signMessage(
      {
        key: { id: keyId, alg: 'ed25519', sign: (data: Buffer) => Promise.resolve(cryptoSign(null, data, key)) },
        name: 'sig1',
        fields: ['@method', '@path', 'content-digest'],
        params: ['created', 'nonce', 'keyid', 'alg'],
        paramValues: { created: options.created ?? this.#server.now, nonce: options.nonce ?? randomBytes(16).toString('base64url'), keyid: keyId, alg: 'ed25519' },
      },
      { method, url: `http://steward.test${url}`, headers: { 'content-digest': digest } },
    );
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    return headers;
  }
}
