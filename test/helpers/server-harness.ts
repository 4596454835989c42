/**
 * A Steward server for tests: a fresh database of the given kind, a temporary blob
 * directory, freshly generated online keys, an operator token; plus the offline ceremony
 * (root, top-level targets with vendor delegations) and vendor publishing, done the way the
 * CLI does them, with test keys.
 *
 * @example
 * const server = await startTestServer(t, { database: 'sqlite' });
 * const repo = await initialiseRepository(server, { vendors: ['acme'] });
 * await publishRelease(server, repo.vendors.acme, { file: 'fw-1.0.0.bin', bytes, version: '1.0.0' });
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { computeHashes, generateKeyPair, Metadata, ReleaseInfo, type GeneratedKeyPair, type Targets } from '../../manifests/index.js';
import { buildServer, issueToken, OnlineKeyring, resolveConfig, type Config } from '../../server/index.js';
import { openBlobStore } from '../../server/blobs/index.js';
import { addRelease, buildRoot, delegateToVendor } from '../../server/repository/ceremony.js';
import { withTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';

export interface TestServer {
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  readonly config: Config;
  readonly operatorToken: string;
  readonly online: { readonly snapshot: GeneratedKeyPair; readonly timestamp: GeneratedKeyPair };
  /** The base URL when started with `listen: true`. */
  readonly url: string | undefined;
}

export interface TestServerOptions {
  readonly database?: DatabaseKind;
  readonly listen?: boolean;
  readonly config?: Partial<Config>;
  readonly clock?: () => Date;
  /** Reuse an existing database (a second replica on the same PostgreSQL). */
  readonly sharedDatabase?: TestDatabase;
  readonly online?: TestServer['online'];
}

const FAR = new Date('2099-01-01T00:00:00Z');

export async function startTestServer(t: Test, options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.sharedDatabase ?? (await withTestDatabase(t, options.database ?? 'sqlite'));
  const scratch = mkdtempSync(join(tmpdir(), 'steward-server-'));
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  const online = options.online ?? { snapshot: generateKeyPair('ed25519'), timestamp: generateKeyPair('ed25519') };
  const config = resolveConfig({ port: 0, databaseUrl: database.url, blobs: { kind: 'fs', dir: join(scratch, 'blobs') }, keysDir: join(scratch, 'keys'), logLevel: 'silent', resignIntervalSeconds: 0, webhookIntervalMilliseconds: 0, ...options.config });
  const app = await buildServer(config, {
    database: options.sharedDatabase ? undefined : database,
    blobs: openBlobStore(config.blobs),
    keyring: new OnlineKeyring([online.snapshot.signer, online.timestamp.signer]),
    ...(options.clock ? { clock: options.clock } : {}),
  } as never);
  t.teardown(() => app.close());
  let url: string | undefined;
  if (options.listen) url = await app.listen({ host: '127.0.0.1', port: 0 });
  const { token } = await issueToken(database.db, { scope: { kind: 'operator' }, label: 'test operator' });
  return { app, database, config, operatorToken: token, online, url };
}

export interface TestVendor {
  readonly id: string;
  readonly key: GeneratedKeyPair;
  readonly token: string;
}

export interface TestRepository {
  readonly rootKey: GeneratedKeyPair;
  readonly targetsKey: GeneratedKeyPair;
  readonly vendors: Record<string, TestVendor>;
  readonly rootBytes: Buffer;
}

export async function initialiseRepository(server: TestServer, options: { vendors: readonly string[] }): Promise<TestRepository> {
  const rootKey = generateKeyPair('ed25519');
  const targetsKey = generateKeyPair('ed25519');
  const one = (pair: GeneratedKeyPair) => ({ keys: [pair.publicKey], threshold: 1 });
  const root = await Metadata.create(buildRoot({ root: one(rootKey), targets: one(targetsKey), snapshot: one(server.online.snapshot), timestamp: one(server.online.timestamp), expires: FAR })).sign(rootKey.signer);
  expectOk(await operator(server, 'PUT', '/v1/repository/root', root.toJSON()), 'upload root');

  const vendors: Record<string, TestVendor> = {};
  let targets: Targets | undefined;
  for (const id of options.vendors) {
    expectOk(await operator(server, 'POST', '/v1/operator/vendors', { id, name: `${id} Terminals` }), 'add vendor');
    const key = generateKeyPair('ed25519');
    targets = delegateToVendor(targets, { vendorId: id, keys: [key.publicKey], threshold: 1 }, FAR);
    const issued = await operator(server, 'POST', '/v1/operator/tokens', { scope: `vendor:${id}`, label: `${id} ci` });
    vendors[id] = { id, key, token: issued.json<{ token: string }>().token };
  }
  if (targets) expectOk(await operator(server, 'PUT', '/v1/repository/targets', (await Metadata.create(targets).sign(targetsKey.signer)).toJSON()), 'upload targets');
  return { rootKey, targetsKey, vendors, rootBytes: root.toBytes() };
}

export interface ReleaseSpec {
  readonly file: string;
  readonly bytes: Buffer;
  readonly version: string;
  readonly hardwareIds?: readonly string[];
  readonly component?: string;
  readonly minFromVersion?: string;
}

/** Upload the artifact and publish a new vendor role version that lists it (as `steward release publish` does). */
export async function publishRelease(server: TestServer, vendor: TestVendor, release: ReleaseSpec): Promise<{ path: string; response: LightMyRequestResponse }> {
  const upload = await server.app.inject({ method: 'PUT', url: `/v1/vendors/${vendor.id}/artifacts`, headers: { authorization: `Bearer ${vendor.token}`, 'content-type': 'application/octet-stream' }, payload: release.bytes });
  expectOk(upload, 'upload artifact');
  const path = `${vendor.id}/${release.file}`;
  const current = await currentRole(server, vendor.id);
  const info = new ReleaseInfo({ version: release.version, hardwareIds: release.hardwareIds ?? ['t100'], component: release.component ?? 'firmware', minFromVersion: release.minFromVersion });
  const role = addRelease(current, { path, length: release.bytes.length, hashes: computeHashes(release.bytes), info }, FAR);
  const signed = await Metadata.create(role).sign(vendor.key.signer);
  const response = await server.app.inject({ method: 'PUT', url: `/v1/vendors/${vendor.id}/role`, headers: { authorization: `Bearer ${vendor.token}` }, payload: signed.toJSON() });
  return { path, response };
}

export async function currentRole(server: TestServer, role: string): Promise<Targets | undefined> {
  const response = await server.app.inject({ method: 'GET', url: `/v1/repository/metadata/${role}.json` });
  return response.statusCode === 200 ? Metadata.fromBytes('targets', response.rawPayload).signed : undefined;
}

export function operator(server: TestServer, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return server.app.inject({ method, url, headers: { authorization: `Bearer ${server.operatorToken}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

export function expectOk(response: LightMyRequestResponse, what: string): void {
  if (response.statusCode >= 300) throw new Error(`${what} failed: ${response.statusCode} ${response.body}`);
}

export function errorCode(response: LightMyRequestResponse): string | undefined {
  return (response.json() as { error?: { code?: string } }).error?.code;
}
