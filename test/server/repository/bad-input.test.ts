// Bad input to the publishing path: each refused with a 4xx and a stable code, and the
// repository left exactly as it was.
import t from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { computeHashes, generateKeyPair, Metadata, ReleaseInfo, type Targets } from '../../../manifests/index.js';
import { addRelease } from '../../../server/repository/ceremony.js';
import { currentRole, errorCode, initialiseRepository, publishRelease, startTestServer, type TestServer, type TestVendor } from '../../helpers/server-harness.js';

const FAR = new Date('2099-01-01T00:00:00Z');
const firmware = Buffer.from('good firmware bytes');

async function repositoryState(server: TestServer): Promise<string> {
  const timestamp = await server.app.inject('/v1/repository/metadata/timestamp.json');
  const rows = await server.database.db.selectFrom('metadata').select(['role', 'version']).orderBy('role').orderBy('version').execute();
  const releases = await server.database.db.selectFrom('releases').select('target_path').orderBy('target_path').execute();
  return JSON.stringify({ timestamp: timestamp.body, rows, releases });
}

function roleWith(current: Targets | undefined, path: string, bytes: Buffer, info = new ReleaseInfo({ version: '2.0.0', hardwareIds: ['t100'], component: 'firmware' })): Targets {
  return addRelease(current, { path, length: bytes.length, hashes: computeHashes(bytes), info }, FAR);
}

async function submit(server: TestServer, vendor: TestVendor, payload: unknown, contentType = 'application/json') {
  return server.app.inject({ method: 'PUT', url: `/v1/vendors/${vendor.id}/role`, headers: { authorization: `Bearer ${vendor.token}`, 'content-type': contentType }, payload: payload as string });
}

t.test('bad vendor input is refused with a stable code and changes nothing', async (t) => {
  const server = await startTestServer(t, { config: { maxArtifactBytes: 1024 } });
  const repo = await initialiseRepository(server, { vendors: ['acme', 'globex'] });
  const acme = repo.vendors['acme']!;
  const published = await publishRelease(server, acme, { file: 'fw-1.0.0.bin', bytes: firmware, version: '1.0.0' });
  t.equal(published.response.statusCode, 200, published.response.body);
  const current = await currentRole(server, 'acme');
  const uploaded = Buffer.from('another uploaded artifact');
  await server.app.inject({ method: 'PUT', url: '/v1/vendors/acme/artifacts', headers: { authorization: `Bearer ${acme.token}`, 'content-type': 'application/octet-stream' }, payload: uploaded });
  const replay = (await Metadata.fromBytes('targets', (await server.app.inject('/v1/repository/metadata/1.acme.json')).rawPayload)).toJSON();
  const stranger = generateKeyPair('ed25519');
  const sign = (role: Targets, key = acme.key) => Metadata.create(role).sign(key.signer).then((metadata) => metadata.toJSON());

  const cases: { name: string; send: () => Promise<LightMyRequestResponse>; status: number; code: string }[] = [
    {
      name: 'oversized upload',
      send: () => server.app.inject({ method: 'PUT', url: '/v1/vendors/acme/artifacts', headers: { authorization: `Bearer ${acme.token}`, 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(4096, 1) }),
      status: 413,
      code: 'STW_ARTIFACT_TOO_LARGE',
    },
    {
      name: 'upload whose bytes do not match the declared sha256',
      send: () => server.app.inject({ method: 'PUT', url: `/v1/vendors/acme/artifacts?sha256=${'ab'.repeat(32)}`, headers: { authorization: `Bearer ${acme.token}`, 'content-type': 'application/octet-stream' }, payload: Buffer.from('xyz') }),
      status: 400,
      code: 'STW_ARTIFACT_HASH_MISMATCH',
    },
    { name: 'unsigned vendor metadata', send: async () => submit(server, acme, Metadata.create(roleWith(current, 'acme/fw-2.bin', uploaded)).toJSON()), status: 400, code: 'STW_REPO_SIGNATURE_INVALID' },
    { name: 'metadata signed by a key outside the delegation', send: async () => submit(server, acme, await sign(roleWith(current, 'acme/fw-2.bin', uploaded), stranger)), status: 400, code: 'STW_REPO_SIGNATURE_INVALID' },
    { name: "metadata signed by another vendor's key", send: async () => submit(server, acme, await sign(roleWith(current, 'acme/fw-2.bin', uploaded), repo.vendors['globex']!.key)), status: 400, code: 'STW_REPO_SIGNATURE_INVALID' },
    { name: 'replayed vendor metadata (same version)', send: () => submit(server, acme, replay), status: 409, code: 'STW_REPO_VERSION_NOT_INCREASED' },
    {
      name: 'a target whose bytes were never uploaded',
      send: async () => submit(server, acme, await sign(roleWith(current, 'acme/ghost.bin', Buffer.from('never uploaded')))),
      status: 400,
      code: 'STW_REPO_TARGET_UNKNOWN',
    },
    {
      name: 'a target listed with the wrong length',
      send: async () => {
        const role = roleWith(current, 'acme/fw-2.bin', uploaded);
        const json = (await sign(role)) as any;
        json.signed.targets['acme/fw-2.bin'].length += 1;
        return submit(server, acme, (await Metadata.fromJSON('targets', json).sign(acme.key.signer)).toJSON());
      },
      status: 400,
      code: 'STW_REPO_TARGET_MISMATCH',
    },
    { name: 'a target path outside the vendor delegation', send: async () => submit(server, acme, await sign(roleWith(current, 'globex/fw.bin', uploaded))), status: 400, code: 'STW_REPO_PATH_INVALID' },
    { name: 'a target path with ..', send: async () => submit(server, acme, await sign(roleWith(current, 'acme/../globex/fw.bin', uploaded))), status: 400, code: 'STW_REPO_PATH_INVALID' },
    { name: 'a target path deeper than the delegation pattern', send: async () => submit(server, acme, await sign(roleWith(current, 'acme/sub/fw.bin', uploaded))), status: 403, code: 'STW_REPO_PATH_NOT_DELEGATED' },
    {
      name: 'release facts that are not semver',
      send: async () => {
        const json = (await sign(roleWith(current, 'acme/fw-2.bin', uploaded))) as any;
        json.signed.targets['acme/fw-2.bin'].custom.version = 'v2';
        return submit(server, acme, (await Metadata.fromJSON('targets', json).sign(acme.key.signer)).toJSON());
      },
      status: 400,
      code: 'STW_REPO_RELEASE_INVALID',
    },
    {
      name: 'new content at a path published before',
      send: async () => submit(server, acme, await sign(roleWith(current, 'acme/fw-1.0.0.bin', uploaded))),
      status: 400,
      code: 'STW_REPO_TARGET_MISMATCH',
    },
    {
      name: 'regression: changed release facts at a path published before',
      send: async () => {
        const json = (await sign(current!)) as any;
        json.signed.version += 1;
        json.signed.targets['acme/fw-1.0.0.bin'].custom.hardware_ids = ['t100', 't200'];
        return submit(server, acme, (await Metadata.fromJSON('targets', json).sign(acme.key.signer)).toJSON());
      },
      status: 400,
      code: 'STW_REPO_TARGET_MISMATCH',
    },
    {
      name: 'regression: a vendor named after a top-level role',
      send: () => server.app.inject({ method: 'POST', url: '/v1/operator/vendors', headers: { authorization: `Bearer ${server.operatorToken}` }, payload: { id: 'snapshot', name: 'x' } }),
      status: 400,
      code: 'STW_REQUEST_INVALID',
    },
    { name: 'malformed JSON', send: () => submit(server, acme, '{"signed": {', 'application/json'), status: 400, code: 'STW_REQUEST_MALFORMED_JSON' },
    { name: 'JSON nested 10,000 deep', send: () => submit(server, acme, '['.repeat(10_000) + ']'.repeat(10_000), 'application/json'), status: 400, code: 'STW_REQUEST_MALFORMED_JSON' },
    { name: 'not a metadata document', send: () => submit(server, acme, { hello: 'world' }), status: 400, code: 'STW_REQUEST_INVALID' },
    { name: 'a root document where a targets role belongs', send: () => submit(server, acme, JSON.parse(repo.rootBytes.toString())), status: 400, code: 'STW_REPO_METADATA_INVALID' },
  ];

  const before = await repositoryState(server);
  for (const c of cases) {
    const response = await c.send();
    t.equal(response.statusCode, c.status, `${c.name}: status (${response.body})`);
    t.equal(errorCode(response), c.code, `${c.name}: code`);
    t.equal(await repositoryState(server), before, `${c.name}: repository unchanged`);
  }
});

t.test('an expired vendor role is refused', async (t) => {
  const server = await startTestServer(t);
  const repo = await initialiseRepository(server, { vendors: ['acme'] });
  const acme = repo.vendors['acme']!;
  await server.app.inject({ method: 'PUT', url: '/v1/vendors/acme/artifacts', headers: { authorization: `Bearer ${acme.token}`, 'content-type': 'application/octet-stream' }, payload: firmware });
  const role = addRelease(undefined, { path: 'acme/fw.bin', length: firmware.length, hashes: computeHashes(firmware), info: new ReleaseInfo({ version: '1.0.0', hardwareIds: ['t100'], component: 'firmware' }) }, new Date('2020-01-01T00:00:00Z'));
  const response = await submit(server, acme, (await Metadata.create(role).sign(acme.key.signer)).toJSON());
  t.equal(response.statusCode, 400);
  t.equal(errorCode(response), 'STW_REPO_EXPIRED');
});
