// The director root: accepted by the image root's rules (TUF 5.3.4 on the server side), served publicly.
import t from 'tap';
import { generateKeyPair, Metadata, type GeneratedKeyPair } from '../../../manifests/index.js';
import { buildRoot } from '../../../server/repository/ceremony.js';
import { startFleetServer, type FleetTestServer } from '../../helpers/fleet-harness.js';
import { errorCode, operator } from '../../helpers/server-harness.js';

const FAR = new Date('2099-01-01T00:00:00Z');
const one = (pair: GeneratedKeyPair) => ({ keys: [pair.publicKey], threshold: 1 });

async function rootDocument(fleet: FleetTestServer, options: { version: number; rootKey?: GeneratedKeyPair; targetsKey?: GeneratedKeyPair; signers: GeneratedKeyPair[]; expires?: Date }) {
  const rootKey = options.rootKey ?? fleet.director.rootKey;
  const targetsKey = options.targetsKey ?? fleet.director.online;
  const root = buildRoot({ root: one(rootKey), targets: one(targetsKey), snapshot: one(targetsKey), timestamp: one(targetsKey), expires: options.expires ?? FAR, version: options.version });
  return (await Metadata.create(root).signAll(options.signers.map((key) => key.signer))).toJSON();
}

t.test('the first director root', async (t) => {
  const fleet = await startFleetServer(t, { directorRoot: false });
  const put = (document: unknown) => operator(fleet, 'PUT', '/v1/director/root', document);
  t.equal(errorCode(await put(await rootDocument(fleet, { version: 1, signers: [] }))), 'STW_REPO_SIGNATURE_INVALID', 'unsigned');
  t.equal(errorCode(await put(await rootDocument(fleet, { version: 2, signers: [fleet.director.rootKey] }))), 'STW_REPO_METADATA_INVALID', 'not version 1');
  t.equal(errorCode(await put(await rootDocument(fleet, { version: 1, signers: [fleet.director.rootKey], expires: new Date('2020-01-01T00:00:00Z') }))), 'STW_REPO_EXPIRED');
  t.equal(errorCode(await put(await rootDocument(fleet, { version: 1, targetsKey: generateKeyPair('ed25519'), signers: [fleet.director.rootKey] }))), 'STW_REPO_ONLINE_KEY_MISSING', 'a targets key the server does not hold');
  t.equal(errorCode(await put({ signed: { _type: 'targets' }, signatures: [] })), 'STW_REPO_METADATA_INVALID', 'not a root');
  t.equal(errorCode(await fleet.app.inject({ url: '/v1/director/metadata/root.json' })), 'STW_NOT_FOUND', 'nothing served yet');
  const accepted = await put(await rootDocument(fleet, { version: 1, signers: [fleet.director.rootKey] }));
  t.equal(accepted.statusCode, 200);
  t.same(accepted.json(), { version: 1 });
});

t.test('a successor root', async (t) => {
  const fleet = await startFleetServer(t);
  const put = (document: unknown) => operator(fleet, 'PUT', '/v1/director/root', document);
  const newRootKey = generateKeyPair('ed25519');
  t.equal(errorCode(await put(await rootDocument(fleet, { version: 3, signers: [fleet.director.rootKey] }))), 'STW_REPO_VERSION_NOT_INCREASED', 'skips a version');
  t.equal(errorCode(await put(await rootDocument(fleet, { version: 2, rootKey: newRootKey, signers: [newRootKey] }))), 'STW_REPO_SIGNATURE_INVALID', 'not signed by the current root keys');
  t.equal(errorCode(await put(await rootDocument(fleet, { version: 2, rootKey: newRootKey, signers: [fleet.director.rootKey] }))), 'STW_REPO_SIGNATURE_INVALID', 'not signed by its own root keys');
  t.equal((await put(await rootDocument(fleet, { version: 2, rootKey: newRootKey, signers: [fleet.director.rootKey, newRootKey] }))).statusCode, 200, 'signed by both: a rotation');

  const latest = await fleet.app.inject({ url: '/v1/director/metadata/root.json' });
  t.equal(Metadata.fromBytes('root', latest.rawPayload).signed.version, 2);
  t.equal(latest.headers['cache-control'], 'no-cache');
  const first = await fleet.app.inject({ url: '/v1/director/metadata/1.root.json' });
  t.equal(Metadata.fromBytes('root', first.rawPayload).signed.version, 1, 'every version stays available for terminals that rotate step by step');
  t.match(first.headers['cache-control'], /immutable/);
  t.equal(errorCode(await fleet.app.inject({ url: '/v1/director/metadata/3.root.json' })), 'STW_NOT_FOUND');
  t.equal(errorCode(await fleet.app.inject({ url: '/v1/director/metadata/targets.json' })), 'STW_NOT_FOUND');
});
