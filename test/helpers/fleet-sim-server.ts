/**
 * A Steward server for fleet tests over real HTTP: what `startTestServer` builds, plus the
 * director's online key in the server keyring, the director root uploaded (signed with a test
 * root key, as the operator does offline), and helpers for enrolment tokens and rollouts.
 * The clock is injected and shared with the simulated terminals.
 *
 * @example
 * const server = await startFleetServer(t, { clock: () => clock.now });
 * const repo = await initialiseRepository(server, { vendors: ['acme'] });
 * const token = await enrolmentToken(server, { uses: 30 });
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { generateKeyPair, Metadata, type GeneratedKeyPair, type Root } from '../../manifests/index.js';
import { buildServer, issueToken, OnlineKeyring, resolveConfig, type Config } from '../../server/index.js';
import { openBlobStore } from '../../server/blobs/index.js';
import { buildRoot } from '../../server/repository/ceremony.js';
import { withTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';
import { expectOk, operator, type TestServer } from './server-harness.js';

export interface FleetServer extends TestServer {
  readonly url: string;
  /** The director's online key (signs director documents). */
  readonly directorKey: GeneratedKeyPair;
  /** The director root's offline key. */
  readonly directorRootKey: GeneratedKeyPair;
  readonly directorRoot: Metadata<Root>;
}

export interface FleetServerOptions {
  readonly database?: DatabaseKind;
  readonly clock: () => Date;
  readonly config?: Partial<Config>;
  readonly sharedDatabase?: TestDatabase;
  readonly keys?: Pick<FleetServer, 'online' | 'directorKey' | 'directorRootKey'>;
  /** Upload the director root (default true; a second replica of a shared database skips it). */
  readonly initialiseDirector?: boolean;
}

const FAR = new Date('2099-01-01T00:00:00Z');

export async function startFleetServer(t: Test, options: FleetServerOptions): Promise<FleetServer> {
  const database = options.sharedDatabase ?? (await withTestDatabase(t, options.database ?? 'sqlite'));
  const scratch = mkdtempSync(join(tmpdir(), 'steward-fleet-'));
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  const online = options.keys?.online ?? { snapshot: generateKeyPair('ed25519'), timestamp: generateKeyPair('ed25519') };
  const directorKey = options.keys?.directorKey ?? generateKeyPair('ed25519');
  const directorRootKey = options.keys?.directorRootKey ?? generateKeyPair('ed25519');
  const config = resolveConfig({
    port: 0,
    databaseUrl: database.url,
    blobs: { kind: 'fs', dir: join(scratch, 'blobs') },
    keysDir: join(scratch, 'keys'),
    logLevel: 'silent',
    resignIntervalSeconds: 0,
    fleetPruneIntervalSeconds: 0,
    ...options.config,
  });
  const app = await buildServer(config, {
    database: options.sharedDatabase ? undefined : database,
    blobs: openBlobStore(config.blobs),
    keyring: new OnlineKeyring([online.snapshot.signer, online.timestamp.signer, directorKey.signer]),
    clock: options.clock,
  } as never);
  t.teardown(() => app.close());
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const { token } = await issueToken(database.db, { scope: { kind: 'operator' }, label: 'fleet test operator' });
  const one = (pair: GeneratedKeyPair) => ({ keys: [pair.publicKey], threshold: 1 });
  const directorRoot = await Metadata.create(buildRoot({ root: one(directorRootKey), targets: one(directorKey), snapshot: one(directorRootKey), timestamp: one(directorRootKey), expires: FAR })).sign(directorRootKey.signer);
  const server: FleetServer = { app, database, config, operatorToken: token, online, url, directorKey, directorRootKey, directorRoot };
  if (options.initialiseDirector ?? true) expectOk(await operator(server, 'PUT', '/v1/director/root', directorRoot.toJSON()), 'upload director root');
  return server;
}

/** A one-time (or `uses`-time) enrolment token from the operator API. */
export async function enrolmentToken(server: FleetServer, options: { uses?: number; hardwareModel?: string; merchantId?: string; tags?: string[] } = {}): Promise<string> {
  const response = await operator(server, 'POST', '/v1/operator/enrolment-tokens', { label: 'fleet test', uses: options.uses ?? 1, ...options });
  expectOk(response, 'issue enrolment token');
  return response.json<{ token: string }>().token;
}

/** The rollout as the operator API shows it. */
export async function rolloutView(server: FleetServer, rolloutId: string): Promise<RolloutSummary> {
  const response = await operator(server, 'GET', `/v1/operator/rollouts/${rolloutId}`);
  expectOk(response, 'read rollout');
  return response.json<RolloutSummary>();
}

export interface RolloutSummary {
  readonly id: string;
  readonly status: string;
  readonly currentPhase: number;
  readonly phases: readonly { readonly index: number; readonly admitted: number; readonly attempted: number; readonly succeeded: number; readonly failed: number; readonly endedAt: string | null }[];
  readonly totals: { readonly admitted: number; readonly attempted: number; readonly succeeded: number; readonly failed: number; readonly failureRatio: number | null };
  readonly states?: Record<string, number>;
}
