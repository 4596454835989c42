// Device check-in throughput over loopback with autocannon, the server in a child process:
// the 304 path (If-None-Match names the current director document) and the full signed path
// (the director document in the answer), both RFC 9421-signed, as ratios to a bare Fastify
// route returning a small JSON body in the same run, with p99 latency at 256 connections
// (a closed loop at saturation: latency there is mostly queueing, at least 256 / throughput),
// and the service time of one connection alone. 100,000 enrolled devices seeded straight into
// SQLite; then the full path at 10,000 and 1,000,000 devices on PostgreSQL, p50 compared.
// Requests are signed in advance, each with its own nonce, so the load generator spends its
// time sending. A third server gives the floor of any signed check-in on this machine: a bare
// Fastify route that parses the same signed request and verifies its Ed25519 signature with a
// key held in memory, nothing else (no database, no replay ledger, no director).
//   npx tsx bench/checkin.ts [--seconds 10] [--skip-postgres] [--cpu-prof <dir>]   (--cpu-prof: V8 profiles of the Steward servers)
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, randomInt, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { generateKeyPair, Metadata, PublicKey, type GeneratedKeyPair } from '../manifests/index.js';
import { migrateToLatest, openDatabase, type DatabaseDialect } from '../server/db/index.js';
import type { Database } from '../server/db/schema.js';
import { reportedStateHash } from '../server/fleet/check-in/check-in-service.js';
import { desiredState } from '../server/fleet/director/desired-state.js';
import { signDirectorDocument } from '../server/fleet/director/sign-director-document.js';
import { defaultConfig } from '../server/config/config.js';
import { buildRoot } from '../server/repository/ceremony.js';
import { atLeast, atMost, below, benchRow, printTable, type BenchRow } from './bench-row.js';

const CONNECTIONS = 256;
const WORKING_SET = 20_000; // devices that send requests, spread over the whole population
const POSTGRES_ADMIN_URL = process.env['STEWARD_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const INSTALLED = [{ component: 'firmware', version: '1.0.0' }];
const BODY = Buffer.from(JSON.stringify({
  installed: INSTALLED,
  profileVersion: null,
  health: { power: { source: 'mains', batteryPercent: 100, charging: false }, network: { type: 'ethernet' }, printer: { paper: 'ok' }, selfTest: { keypad: 'ok', screen: 'ok' }, freeStorageBytes: 120_000_000, lastTransactionError: null, uptimeSeconds: 86_400 },
}));
const DIGEST = `sha-256=:${createHash('sha256').update(BODY).digest('base64')}:`;

interface Measurement {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly unexpected: number;
}

interface Device {
  readonly id: string;
  readonly key: KeyObject;
  readonly etag: string;
}

export async function run(options: { seconds?: number; postgres?: boolean } = {}): Promise<BenchRow[]> {
  const seconds = options.seconds ?? Number(argument('--seconds') ?? 10);
  const postgres = options.postgres ?? !process.argv.includes('--skip-postgres');
  const scratch = mkdtempSync(join(tmpdir(), 'steward-bench-checkin-'));
  const keysDir = join(scratch, 'keys');
  mkdirSync(keysDir);
  const director = generateKeyPair('ed25519');
  writeFileSync(join(keysDir, 'director.pem'), director.privateKeyPem);
  const rows: BenchRow[] = [];
  const cpuProfileDir = argument('--cpu-prof');
  const profiling = cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-interval', '200', `--cpu-prof-dir=${resolve(cpuProfileDir)}`];
  try {
    const baseline = await withChild([fileURLToPath(import.meta.url), '--child', 'baseline'], {}, (url) => measure(`${url}/hello`, seconds, () => ({ method: 'GET', path: '/hello' }), 200));
    log(`bare Fastify: ${baseline.rps.toFixed(0)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms`);

    const sqliteUrl = `sqlite:${join(scratch, 'steward.db')}`;
    const devices = await seed(sqliteUrl, 100_000, director);
    const sqlite = await withChild([...profiling, 'test/helpers/processes/serve.ts'], { DATABASE_URL: sqliteUrl, STEWARD_KEYS_DIR: keysDir, STEWARD_BLOB_DIR: join(scratch, 'blobs') }, async (url) => ({
      notModified: await measureCheckIns(url, devices, { seconds, notModified: true }),
      full: await measureCheckIns(url, devices, { seconds, notModified: false }),
      alone: await measureCheckIns(url, devices, { seconds, notModified: true, connections: 1 }),
    }));
    const keysFile = join(scratch, 'device-keys.json');
    writeFileSync(keysFile, JSON.stringify(Object.fromEntries(devices.map((device) => [device.id, createPublicKeyJwk(device.key)]))));
    const floor = await withChild([fileURLToPath(import.meta.url), '--child', 'signature-floor'], { STEWARD_BENCH_DEVICE_KEYS: keysFile }, (url) =>
      measureCheckIns(url, devices, { seconds, notModified: false, label: 'signature floor (bare Fastify + Ed25519 verify)', expected: 200 }));
    rows.push(
      // Context, not a goal: what any server that verifies each request's signature can reach here.
      benchRow({ bench: 'checkin', figure: 'signature floor: bare Fastify route verifying the same signed requests', value: floor.rps, baseline: baseline.rps, baselineName: 'bare Fastify', unit: 'req/s', valid: floor.unexpected === 0 }),
      throughputRow('304 path, 100k devices, SQLite', sqlite.notModified, baseline, 0.5),
      throughputRow('full signed path, 100k devices, SQLite', sqlite.full, baseline, 0.25),
      latencyRow('p99 latency, 304 path, 256 connections', sqlite.notModified, baseline),
      latencyRow('p99 latency, full path, 256 connections', sqlite.full, baseline),
    );

    if (postgres) {
      const small = await onPostgres(10_000, director, keysDir, scratch, seconds, profiling);
      const large = await onPostgres(1_000_000, director, keysDir, scratch, seconds, profiling);
      const p50Row = (how: string, value: number, base: number): BenchRow => benchRow({ bench: 'checkin', figure: `full path p50, ${how}, PostgreSQL, 1M vs 10k devices`, value, baseline: base, baselineName: '10k devices', unit: 'ms', goal: atMost(1.3) });
      rows.push(
        throughputRow('full signed path, 10k devices, PostgreSQL', small.peak, baseline, 0.25),
        throughputRow('full signed path, 1M devices, PostgreSQL', large.peak, baseline, 0.25),
        p50Row('256 connections', large.peak.p50, small.peak.p50),
        p50Row('one connection', large.alone.p50, small.alone.p50),
      );
    }
    return rows;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function throughputRow(figure: string, measured: Measurement, baseline: Measurement, goal: number): BenchRow {
  const note = measured.unexpected > 0 ? ` (${measured.unexpected} errors or unexpected answers)` : '';
  return benchRow({ bench: 'checkin', figure: `${figure}${note}`, value: measured.rps, baseline: baseline.rps, baselineName: 'bare Fastify', unit: 'req/s', goal: atLeast(goal), valid: measured.unexpected === 0 });
}

function latencyRow(figure: string, measured: Measurement, baseline: Measurement): BenchRow {
  return benchRow({ bench: 'checkin', figure, value: measured.p99, baseline: baseline.p99, baselineName: 'bare Fastify', unit: 'ms', goal: below(25) });
}

/** The full path at 256 connections, then from one connection. */
async function onPostgres(population: number, director: GeneratedKeyPair, keysDir: string, scratch: string, seconds: number, profiling: readonly string[]): Promise<{ peak: Measurement; alone: Measurement }> {
  const name = `steward_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    const devices = await seed(url.toString(), population, director);
    return await withChild([...profiling, 'test/helpers/processes/serve.ts'], { DATABASE_URL: url.toString(), STEWARD_KEYS_DIR: keysDir, STEWARD_BLOB_DIR: join(scratch, 'blobs') }, async (server) => {
      const label = `${population} devices, PostgreSQL`;
      const peak = await measureCheckIns(server, devices, { seconds, notModified: false, label });
      return { peak, alone: await measureCheckIns(server, devices, { seconds, notModified: false, label, connections: 1 }) };
    });
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

interface CheckInRun {
  readonly seconds: number;
  /** The status counted as a success (304 or 200 by `notModified` unless given). */
  readonly expected?: number;
  /** Send each device's current ETag (the 304 path). */
  readonly notModified: boolean;
  /** 256 unless given. */
  readonly connections?: number;
  readonly label?: string;
}

/** Check-ins from the working set, signed just before the run. */
async function measureCheckIns(url: string, devices: readonly Device[], run: CheckInRun): Promise<Measurement> {
  const started = performance.now();
  const connections = run.connections ?? CONNECTIONS;
  const pool = signedPool(devices, Math.ceil((run.seconds + 2) * (connections === 1 ? 1000 : 5000)), run.notModified);
  log(`signed ${pool.length} requests in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  let next = 0;
  const request = () => pool[next++] ?? signedRequest(devices[randomInt(devices.length)] as Device, run.notModified);
  const measured = await measure(url, run.seconds, request, run.expected ?? (run.notModified ? 304 : 200), connections);
  const how = `${connections} connection${connections === 1 ? '' : 's'}`;
  log(`${run.notModified ? '304' : 'full'} path, ${run.label ?? '100k devices, SQLite'}, ${how}: ${measured.rps.toFixed(0)} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms, unexpected ${measured.unexpected}`);
  return measured;
}

interface PlannedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer;
}

function signedPool(devices: readonly Device[], size: number, notModified: boolean): PlannedRequest[] {
  const order = devices.map((_, index) => index);
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return Array.from({ length: size }, (_, index) => signedRequest(devices[order[index % order.length] as number] as Device, notModified));
}

/** protocol.md section 2, the signature base written out as RFC 9421 2.5 lays it down. */
function signedRequest(device: Device, notModified: boolean): PlannedRequest {
  const path = `/v1/devices/${device.id}/check-in`;
  const params = `("@method" "@path" "content-digest");created=${Math.floor(Date.now() / 1000)};nonce="${randomBytes(16).toString('base64url')}";keyid="${device.id}";alg="ed25519"`;
  const base = `"@method": POST\n"@path": ${path}\n"content-digest": ${DIGEST}\n"@signature-params": ${params}`;
  const signature = sign(null, Buffer.from(base), device.key).toString('base64');
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-digest': DIGEST, 'signature-input': `sig1=${params}`, signature: `sig1=:${signature}:` };
  if (notModified) headers['if-none-match'] = `"${device.etag}"`;
  return { method: 'POST', path, headers, body: BODY };
}

interface AutocannonResult {
  readonly duration: number;
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly statusCodeStats: Record<string, { count: number }>;
  readonly errors: number;
  readonly timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** A short warm-up, then `seconds` at `connections`; throughput counts only the expected status. */
async function measure(url: string, seconds: number, request: () => PlannedRequest, expected: number, connections = CONNECTIONS): Promise<Measurement> {
  // autocannon hands setupRequest its defaults (host, port...) to be completed and returned.
  const setupRequest = (defaults: Record<string, unknown>) => {
    const planned = request();
    return { ...defaults, ...planned, headers: { ...(defaults['headers'] as object | undefined), ...planned.headers } };
  };
  const requests = [{ setupRequest }];
  await autocannon({ url, connections, duration: 2, requests });
  const result = await autocannon({ url, connections, duration: seconds, requests });
  const counts = Object.entries(result.statusCodeStats);
  const good = counts.filter(([status]) => Number(status) === expected).reduce((sum, [, stat]) => sum + stat.count, 0);
  // autocannon counts timeouts among errors.
  const unexpected = counts.filter(([status]) => Number(status) !== expected).reduce((sum, [, stat]) => sum + stat.count, 0) + result.errors;
  if (unexpected > 0) log(`unexpected answers: ${JSON.stringify(result.statusCodeStats)}, ${result.errors} errors, ${result.timeouts} timeouts`);
  return { rps: good / result.duration, p50: result.latency.p50, p99: result.latency.p99, unexpected };
}

/** `population` active devices in a fresh database; the working set has its own keys and a signed director document. */
async function seed(databaseUrl: string, population: number, director: GeneratedKeyPair): Promise<Device[]> {
  const started = performance.now();
  const database = openDatabase({ url: databaseUrl });
  try {
    const { db, dialect } = database;
    await migrateToLatest(db);
    const now = new Date();
    const rootKey = generateKeyPair('ed25519');
    const one = (pair: GeneratedKeyPair) => ({ keys: [pair.publicKey], threshold: 1 });
    const root = await Metadata.create(buildRoot({ root: one(rootKey), targets: one(director), snapshot: one(director), timestamp: one(director), expires: new Date(now.getTime() + 365 * 86_400_000) })).sign(rootKey.signer);
    const rootBody = root.toBytes().toString('utf8');
    await db.insertInto('director_roots').values({ version: 1, body: rootBody, sha256: createHash('sha256').update(rootBody).digest('hex'), created_at: now.toISOString() }).execute();

    await insertPopulation(db, dialect, population, now);
    const chosen = new Set<number>();
    while (chosen.size < Math.min(WORKING_SET, population)) chosen.add(randomInt(population));
    const devices: Device[] = [];
    for (const batch of chunks([...chosen], 500)) {
      const keyed = batch.map((index) => ({ id: deviceId(index), key: generateKeyPairSync('ed25519').privateKey }));
      const values = keyed.map(({ id, key }) => {
        const publicKey = PublicKey.fromKeyObject(key);
        return sql`(${id}, ${JSON.stringify(publicKey.toJSON())}, ${publicKey.keyId()})`;
      });
      await sql`UPDATE devices SET public_key = v.pk, key_id = v.kid FROM (SELECT column1 AS id, column2 AS pk, column3 AS kid FROM (VALUES ${sql.join(values)}) AS x) AS v WHERE devices.id = v.id`.execute(db);
      const documents = await Promise.all(keyed.map(async ({ id }) => ({
        id,
        document: await signDirectorDocument({
          state: desiredState({ deviceId: id, plan: { images: [], cancelledRollouts: [] }, profile: undefined, pollIntervalSeconds: defaultConfig.pollIntervalSeconds }),
          version: 1, now, lifetimeSeconds: defaultConfig.directorLifetimeSeconds, signers: [director.signer],
        }),
      })));
      await db.insertInto('director_documents').values(documents.map(({ id, document }) => ({
        device_id: id, version: document.version, etag: document.etag, state_hash: document.stateHash, expires_at: document.expiresAt,
        profile_version: null, body: document.body, signed_at: now.toISOString(),
      }))).execute();
      for (const [index, { id, key }] of keyed.entries()) devices.push({ id, key, etag: documents[index]?.document.etag ?? '' });
    }
    await sql.raw(dialect === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE').execute(db);
    log(`seeded ${population} devices (${devices.length} sending) on ${dialect} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return devices;
  } finally {
    await database.close();
  }
}

/** One INSERT ... SELECT over a generated series: every device in the state a quiet check-in reports. */
async function insertPopulation(db: Kysely<Database>, dialect: DatabaseDialect, population: number, now: Date): Promise<void> {
  const placeholder = PublicKey.fromKeyObject(generateKeyPairSync('ed25519').privateKey);
  const installed = JSON.stringify(INSTALLED);
  const stateHash = reportedStateHash(installed, null, { paperOut: false, updateFailed: false, profileNotApplied: false });
  const at = now.toISOString();
  const columns = sql.raw('id, serial, hardware_model, vendor_id, merchant_id, tags, time_zone, status, public_key, key_id, rekey_allowed, enrolment_method, certificate_fingerprint, enrolled_at, last_seen_at, health, installed, firmware_version, profile_version, flag_paper_out, flag_update_failed, flag_profile_not_applied, state_hash, history_at');
  const padded = dialect === 'postgres' ? sql.raw(`lpad(n::text, 7, '0')`) : sql.raw(`printf('%07d', n)`);
  const values = sql`'dev_bench_' || ${padded}, 'SN' || ${padded}, 't100', NULL, NULL, '[]', 'UTC', 'active', ${JSON.stringify(placeholder.toJSON())}, ${placeholder.keyId()}, 0, 'token', NULL, ${at}, ${at}, '{}', ${installed}, '1.0.0', NULL, 0, 0, 0, ${stateHash}, ${at}`;
  if (dialect === 'postgres') {
    await sql`INSERT INTO devices (${columns}) SELECT ${values} FROM generate_series(0, ${population - 1}) AS n`.execute(db);
  } else {
    await sql`WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ${population - 1}) INSERT INTO devices (${columns}) SELECT ${values} FROM seq`.execute(db);
  }
}

function deviceId(index: number): string {
  return `dev_bench_${String(index).padStart(7, '0')}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, index * size + size));
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Runs a server process (`args` to this Node), waits for "listening <url>", runs `body`, stops it. */
async function withChild<T>(args: string[], env: Record<string, string>, body: (url: string) => Promise<T>): Promise<T> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening (\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    return await body(url);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  }
}

/** The baseline server: a bare Fastify route returning a small JSON body. */
async function serveBaseline(): Promise<void> {
  const app = Fastify();
  app.get('/hello', () => ({ hello: 'world' }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`listening ${url}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

/**
 * The floor of a signed check-in: the same request parsed by Fastify (JSON body), its RFC 9421
 * signature base rebuilt (protocol.md 2) and its Ed25519 signature verified on the thread pool
 * with the device's key from memory; 200 when it verifies.
 */
async function serveSignatureFloor(): Promise<void> {
  const jwks = JSON.parse(readFileSync(process.env['STEWARD_BENCH_DEVICE_KEYS'] ?? '', 'utf8')) as Record<string, JsonWebKey>;
  const keys = new Map(Object.entries(jwks).map(([id, jwk]) => [id, createPublicKey({ key: jwk, format: 'jwk' })]));
  const app = Fastify();
  app.post<{ Params: { deviceId: string } }>('/v1/devices/:deviceId/check-in', async (request, reply) => {
    const key = keys.get(request.params.deviceId);
    const input = String(request.headers['signature-input'] ?? '');
    const signature = /^sig1=:([^:]*):$/.exec(String(request.headers['signature'] ?? ''))?.[1];
    if (key === undefined || !input.startsWith('sig1=') || signature === undefined || typeof request.body !== 'object') return reply.code(401).send({ ok: false });
    const base = `"@method": ${request.method}\n"@path": ${request.url}\n"content-digest": ${String(request.headers['content-digest'])}\n"@signature-params": ${input.slice(5)}`;
    const valid = await new Promise<boolean>((done) => verify(null, Buffer.from(base), key, Buffer.from(signature, 'base64'), (error, ok) => done(error === null && ok)));
    return valid ? { ok: true } : reply.code(401).send({ ok: false });
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`listening ${url}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

function createPublicKeyJwk(privateKey: KeyObject): JsonWebKey {
  return createPublicKey(privateKey).export({ format: 'jwk' });
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function log(message: string): void {
  process.stderr.write(`checkin: ${message}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (argument('--child') === 'baseline') await serveBaseline();
  else if (argument('--child') === 'signature-floor') await serveSignatureFloor();
  else printTable(await run());
}
