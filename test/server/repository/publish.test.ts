// Publishing on both databases: the vendor path from artifact to signed snapshot + timestamp.
import t from 'tap';
import { Metadata, countSignatures } from '../../../manifests/index.js';
import { DATABASE_KINDS } from '../../helpers/databases.js';
import { errorCode, initialiseRepository, operator, publishRelease, startTestServer } from '../../helpers/server-harness.js';

for (const kind of DATABASE_KINDS) {
  t.test(`${kind}: a vendor release is published with a new snapshot and timestamp`, async (t) => {
    const server = await startTestServer(t, { database: kind });
    const repo = await initialiseRepository(server, { vendors: ['acme'] });
    const acme = repo.vendors['acme']!;
    const before = Metadata.fromBytes('timestamp', (await server.app.inject('/v1/repository/metadata/timestamp.json')).rawPayload);

    const firmware = Buffer.from('firmware 1.0.0 '.repeat(1000));
    const { path, response } = await publishRelease(server, acme, { file: 't100-fw-1.0.0.bin', bytes: firmware, version: '1.0.0', minFromVersion: '0.9.0' });
    t.equal(response.statusCode, 200, response.body);
    const publication = response.json<{ version: number; snapshotVersion: number; timestampVersion: number }>();
    t.equal(publication.version, 1);
    t.equal(publication.timestampVersion, before.signed.version + 1);

    const timestamp = Metadata.fromBytes('timestamp', (await server.app.inject('/v1/repository/metadata/timestamp.json')).rawPayload);
    t.equal(timestamp.signed.version, publication.timestampVersion);
    t.ok(countSignatures(timestamp, { keys: new Map([[server.online.timestamp.publicKey.keyId(), server.online.timestamp.publicKey]]), threshold: 1 }).met, 'timestamp signed by the online key');
    const snapshot = Metadata.fromBytes('snapshot', (await server.app.inject(`/v1/repository/metadata/${timestamp.signed.snapshotMeta.version}.snapshot.json`)).rawPayload);
    t.equal(snapshot.signed.roleMeta('acme')?.version, 1, 'snapshot pins the vendor role');
    const role = Metadata.fromBytes('targets', (await server.app.inject('/v1/repository/metadata/1.acme.json')).rawPayload);
    t.same(role.signed.targets.get(path)?.custom, { version: '1.0.0', hardware_ids: ['t100'], component: 'firmware', min_from_version: '0.9.0' });

    const releases = await operator(server, 'GET', '/v1/vendors/acme/releases');
    t.equal(releases.statusCode, 200);
    t.match(releases.json(), { releases: [{ targetPath: path, version: '1.0.0', hardwareIds: ['t100'], minFromVersion: '0.9.0', length: firmware.length }] });

    // the target is served under its consistent name, with Range
    const sha256 = role.signed.targets.get(path)?.hashes['sha256'];
    const whole = await server.app.inject(`/v1/repository/targets/acme/${sha256}.t100-fw-1.0.0.bin`);
    t.equal(whole.statusCode, 200);
    t.same(whole.rawPayload, firmware);
    const part = await server.app.inject({ url: `/v1/repository/targets/acme/${sha256}.t100-fw-1.0.0.bin`, headers: { range: 'bytes=100-199' } });
    t.equal(part.statusCode, 206);
    t.equal(part.headers['content-range'], `bytes 100-199/${firmware.length}`);
    t.same(part.rawPayload, firmware.subarray(100, 200));
    const beyond = await server.app.inject({ url: `/v1/repository/targets/acme/${sha256}.t100-fw-1.0.0.bin`, headers: { range: `bytes=${firmware.length}-` } });
    t.equal(beyond.statusCode, 416);
    t.equal((await server.app.inject(`/v1/repository/targets/acme/${'0'.repeat(64)}.t100-fw-1.0.0.bin`)).statusCode, 404, 'a wrong hash is not served');

    // a second release keeps the first and bumps every version
    const second = await publishRelease(server, acme, { file: 't100-fw-1.1.0.bin', bytes: Buffer.from('firmware 1.1.0'), version: '1.1.0' });
    t.equal(second.response.statusCode, 200, second.response.body);
    const role2 = Metadata.fromBytes('targets', (await server.app.inject('/v1/repository/metadata/acme.json')).rawPayload);
    t.equal(role2.signed.version, 2);
    t.same([...role2.signed.targets.keys()].sort(), ['acme/t100-fw-1.0.0.bin', 'acme/t100-fw-1.1.0.bin']);
  });

  t.test(`${kind}: metadata responses carry ETags and cache headers`, async (t) => {
    const server = await startTestServer(t, { database: kind });
    await initialiseRepository(server, { vendors: ['acme'] });
    const first = await server.app.inject('/v1/repository/metadata/timestamp.json');
    t.equal(first.headers['cache-control'], 'no-cache');
    const etag = first.headers['etag'] as string;
    t.match(etag, /^"[0-9a-f]{64}"$/);
    const again = await server.app.inject({ url: '/v1/repository/metadata/timestamp.json', headers: { 'if-none-match': etag } });
    t.equal(again.statusCode, 304);
    const versioned = await server.app.inject('/v1/repository/metadata/1.root.json');
    t.equal(versioned.headers['cache-control'], 'public, max-age=31536000, immutable');
    t.equal((await server.app.inject('/v1/repository/metadata/9.root.json')).statusCode, 404);
    t.equal(errorCode(await server.app.inject('/v1/repository/metadata/nothing')), 'STW_NOT_FOUND');
  });
}

t.test('snapshot and timestamp are re-signed before they expire', async (t) => {
  let now = new Date('2026-11-27T00:00:00Z');
  const server = await startTestServer(t, { clock: () => now, config: { timestampLifetimeSeconds: 3600, snapshotLifetimeSeconds: 86_400 } });
  await initialiseRepository(server, { vendors: ['acme'] });
  const version = async (role: string) => Metadata.fromBytes(role === 'timestamp' ? 'timestamp' : 'snapshot', (await server.app.inject(`/v1/repository/metadata/${role}.json`)).rawPayload).signed.version;
  const resign = async () => (await server.app.inject({ method: 'POST', url: '/v1/operator/repository/resign', headers: { authorization: `Bearer ${server.operatorToken}` } })).json<{ published: string }>().published;
  const timestamp0 = await version('timestamp');
  const snapshot0 = await version('snapshot');
  t.equal(await resign(), 'nothing', 'fresh roles are left alone');
  now = new Date(now.getTime() + 40 * 60 * 1000); // 40 of 60 minutes gone
  t.equal(await resign(), 'timestamp');
  t.equal(await version('timestamp'), timestamp0 + 1);
  t.equal(await version('snapshot'), snapshot0, 'snapshot untouched');
  now = new Date(now.getTime() + 13 * 3600 * 1000); // past half the snapshot's day
  t.equal(await resign(), 'snapshot');
  t.equal(await version('snapshot'), snapshot0 + 1);
  t.equal(await version('timestamp'), timestamp0 + 2);
});
