// Two server processes on one PostgreSQL publishing at the same time: no lost update,
// versions strictly increasing, every snapshot and timestamp consistent.
import t from 'tap';
import { writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeHashes, Metadata, ReleaseInfo, type Targets } from '../../../manifests/index.js';
import { addRelease } from '../../../server/repository/ceremony.js';
import { withTestDatabase } from '../../helpers/databases.js';
import { initialiseRepository, startTestServer, type TestVendor } from '../../helpers/server-harness.js';
import { startServerProcess } from '../../helpers/server-process.js';

const RELEASES_PER_VENDOR = 12;
const FAR = new Date('2099-01-01T00:00:00Z');

t.test('two replicas publish concurrently on one PostgreSQL', async (t) => {
  const database = await withTestDatabase(t, 'postgres');
  const scratch = mkdtempSync(join(tmpdir(), 'steward-replicas-'));
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  const blobDir = join(scratch, 'blobs');
  const keysDir = join(scratch, 'keys');
  // The in-process server sets up the repository; the two child processes are the replicas.
  const setup = await startTestServer(t, { sharedDatabase: database, config: { blobs: { kind: 'fs', dir: blobDir } } });
  const repo = await initialiseRepository(setup, { vendors: ['acme', 'globex'] });
  mkdirSync(keysDir, { recursive: true });
  writeFileSync(join(keysDir, 'snapshot.pem'), setup.online.snapshot.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(keysDir, 'timestamp.pem'), setup.online.timestamp.privateKeyPem, { mode: 0o600 });
  const env = { DATABASE_URL: database.url, STEWARD_BLOB_DIR: blobDir, STEWARD_KEYS_DIR: keysDir };
  const [a, b] = await Promise.all([startServerProcess(t, env), startServerProcess(t, env)]);

  // Each vendor publishes its releases one after another (its versions must increase);
  // the two vendors race each other through different replicas.
  const publishAll = async (vendor: TestVendor, url: string) => {
    let role: Targets | undefined;
    for (let i = 1; i <= RELEASES_PER_VENDOR; i++) {
      const bytes = Buffer.from(`${vendor.id} firmware ${i}`);
      const upload = await fetch(`${url}/v1/vendors/${vendor.id}/artifacts`, { method: 'PUT', headers: { authorization: `Bearer ${vendor.token}`, 'content-type': 'application/octet-stream' }, body: bytes });
      if (upload.status !== 201) throw new Error(`upload ${upload.status}`);
      role = addRelease(role, { path: `${vendor.id}/fw-${i}.bin`, length: bytes.length, hashes: computeHashes(bytes), info: new ReleaseInfo({ version: `1.0.${i}`, hardwareIds: ['t100'], component: 'firmware' }) }, FAR);
      const signed = await Metadata.create(role).sign(vendor.key.signer);
      const response = await fetch(`${url}/v1/vendors/${vendor.id}/role`, { method: 'PUT', headers: { authorization: `Bearer ${vendor.token}`, 'content-type': 'application/json' }, body: signed.toBytes() });
      if (response.status !== 200) throw new Error(`publish ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all([publishAll(repo.vendors['acme']!, a.url), publishAll(repo.vendors['globex']!, b.url)]);

  const rows = await database.db.selectFrom('metadata').select(['role', 'version', 'body']).orderBy('role').orderBy('version').execute();
  const versions = (role: string) => rows.filter((row) => row.role === role).map((row) => Number(row.version));
  const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  t.same(versions('acme'), upTo(RELEASES_PER_VENDOR), 'every acme version kept');
  t.same(versions('globex'), upTo(RELEASES_PER_VENDOR), 'every globex version kept');
  const snapshots = rows.filter((row) => row.role === 'snapshot').map((row) => Metadata.fromBytes('snapshot', Buffer.from(row.body)));
  t.same(snapshots.map((s) => s.signed.version), upTo(snapshots.length), 'snapshot versions 1..n without gaps');
  let previous = { acme: 0, globex: 0 };
  for (const snapshot of snapshots) {
    const pinned = { acme: snapshot.signed.roleMeta('acme')?.version ?? 0, globex: snapshot.signed.roleMeta('globex')?.version ?? 0 };
    // regression: a snapshot pinned an older vendor role when its publisher read the roles before the previous snapshot
    t.ok(pinned.acme >= previous.acme && pinned.globex >= previous.globex, `snapshot ${snapshot.signed.version} never goes back`);
    previous = pinned;
  }
  t.same(previous, { acme: RELEASES_PER_VENDOR, globex: RELEASES_PER_VENDOR }, 'the last snapshot has both vendors\' last roles: no lost update');
  const timestamps = rows.filter((row) => row.role === 'timestamp').map((row) => Metadata.fromBytes('timestamp', Buffer.from(row.body)));
  t.same(timestamps.map((ts) => ts.signed.version), upTo(timestamps.length), 'timestamp versions 1..n without gaps');
  const snapshotVersions = new Set(snapshots.map((s) => s.signed.version));
  t.ok(timestamps.every((ts) => snapshotVersions.has(ts.signed.snapshotMeta.version)), 'every timestamp pins an existing snapshot');
  const releases = await database.db.selectFrom('releases').select('target_path').execute();
  t.equal(releases.length, 2 * RELEASES_PER_VENDOR);
});
