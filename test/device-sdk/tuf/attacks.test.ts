/**
 * The attacks TUF is designed to withstand (TUF specification 1.5.2), each against a
 * repository served over HTTP on loopback. Every case first shows the honest path works,
 * so a refusal is the attack being caught and not a broken fixture.
 */
import t from 'tap';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair, type JsonObject } from '../../../manifests/index.js';
import { TufRepository } from '../../helpers/tuf-repository.js';
import { client, failure, rejection, serve } from './fixtures/client.js';

const DAY = 86_400_000;

function targetsOf(signed: JsonObject): JsonObject {
  return signed.targets as JsonObject;
}

function metaOf(signed: JsonObject, file: string): JsonObject {
  return (signed.meta as JsonObject)[file] as JsonObject;
}

async function vendorRepository(options: Parameters<typeof TufRepository.create>[0] = {}) {
  const repo = await TufRepository.create(options);
  repo.delegate('targets', 'acme', { paths: ['acme/*'] });
  repo.delegate('targets', 'globex', { paths: ['globex/*'] });
  repo.addTarget('acme/fw-1.0.bin', 'acme firmware 1.0', { role: 'acme' });
  repo.addTarget('acme/fw-2.0.bin', 'acme firmware 2.0', { role: 'acme' });
  repo.addTarget('globex/app.bin', 'globex app', { role: 'globex' });
  await repo.publish();
  return repo;
}

t.test('arbitrary installation: targets metadata signed by an unknown key is refused', async (t) => {
  const repo = await vendorRepository();
  const server = await serve(t, repo);
  t.ok(await client(repo, server).updater.getTargetInfo('acme/fw-2.0.bin'), 'honest repository');
  const attacker = generateKeyPair('ed25519').signer;
  const forged = await repo.forge(
    'targets',
    (signed) => {
      targetsOf(signed)['evil.bin'] = { length: 4, hashes: { sha256: 'aa'.repeat(32) } };
    },
    [attacker],
  );
  server.override(`metadata/${repo.metadataPath('targets')}`, forged);
  const { updater } = client(repo, server);
  const error = await failure(t, updater.getTargetInfo('evil.bin'));
  t.equal(error.code, 'STW_DEVICE_SIGNATURE_INVALID');
  t.equal(error.details?.role, 'targets');
});

t.test('arbitrary installation: other bytes served for a target are never installed', async (t) => {
  const repo = await vendorRepository();
  const server = await serve(t, repo);
  server.override(`targets/${repo.targetPath('acme/fw-2.0.bin', 'acme')}`, Buffer.from('malware firmware!'));
  const targetDir = t.testdir({});
  const { updater } = client(repo, server, { targetDir });
  const target = await updater.getTargetInfo('acme/fw-2.0.bin');
  if (!target) throw new Error('target not found');
  t.equal(await rejection(t, updater.downloadTarget(target)), 'STW_DEVICE_TARGET_MISMATCH');
  t.same(await readdir(targetDir), []);
});

t.test('endless data: every download stops at its cap', async (t) => {
  const repo = await vendorRepository({ timestampPinsHashes: false });
  const server = await serve(t, repo);
  const targetDir = t.testdir({});

  server.override('metadata/2.root.json', 'endless');
  t.match(await failure(t, client(repo, server).updater.refresh()), { code: 'STW_DEVICE_TOO_LARGE', details: { maxLength: 512 * 1024 } }, 'root');
  server.clearOverrides();

  server.override('metadata/timestamp.json', 'endless');
  t.match(await failure(t, client(repo, server).updater.refresh()), { code: 'STW_DEVICE_TOO_LARGE', details: { maxLength: 16 * 1024 } }, 'timestamp');
  server.clearOverrides();

  server.override(`metadata/${repo.metadataPath('snapshot')}`, 'endless');
  const snapshotCap = { snapshotMaxLength: 100_000 };
  t.match(await failure(t, client(repo, server, { config: snapshotCap }).updater.refresh()), { code: 'STW_DEVICE_TOO_LARGE', details: { maxLength: 100_000 } }, 'snapshot');
  server.clearOverrides();

  server.override(`metadata/${repo.metadataPath('acme')}`, 'endless');
  const roleCap = { roleMaxLength: { acme: 50_000 } };
  t.match(await failure(t, client(repo, server, { config: roleCap }).updater.getTargetInfo('acme/fw-2.0.bin')), { code: 'STW_DEVICE_TOO_LARGE', details: { maxLength: 50_000 } }, 'delegated role, per-role cap');
  server.clearOverrides();

  server.override(`targets/${repo.targetPath('acme/fw-2.0.bin', 'acme')}`, 'endless');
  const { updater } = client(repo, server, { targetDir });
  const target = await updater.getTargetInfo('acme/fw-2.0.bin');
  if (!target) throw new Error('target not found');
  t.equal(await rejection(t, updater.downloadTarget(target)), 'STW_DEVICE_TOO_LARGE', 'target, capped at its length');
  t.same(await readdir(targetDir), []);
});

t.test('extraneous dependencies: nothing can be added to signed metadata, and a vendor cannot sign outside its paths', async (t) => {
  const repo = await vendorRepository();
  const server = await serve(t, repo);
  const withDependency = await repo.forge('acme', (signed) => {
    const fw = targetsOf(signed)['acme/fw-2.0.bin'] as JsonObject;
    fw.custom = { requires: ['acme/backdoor.bin'] };
  }, []);
  server.override(`metadata/${repo.metadataPath('acme')}`, withDependency);
  t.equal(await rejection(t, client(repo, server).updater.getTargetInfo('acme/fw-2.0.bin')), 'STW_DEVICE_SIGNATURE_INVALID', 'unsigned edit');
  server.clearOverrides();

  repo.addTarget('acme/backdoor.bin', 'payload', { role: 'globex' });
  await repo.publish();
  const { updater } = client(repo, server);
  t.equal(await updater.getTargetInfo('acme/backdoor.bin'), undefined, 'globex may not sign for acme/*');
});

t.test('fast-forward: a timestamp pushed to a huge version by a stolen key blocks updates until the key rotates', async (t) => {
  const repo = await vendorRepository();
  const server = await serve(t, repo);
  const { updater, store } = client(repo, server);
  await updater.refresh();
  const fastForwarded = await repo.forge('timestamp', (signed) => {
    signed.version = 1_000_000;
  });
  server.override('metadata/timestamp.json', fastForwarded);
  await updater.refresh();
  server.clearOverrides();
  await repo.publish();
  t.equal(await rejection(t, updater.refresh()), 'STW_DEVICE_ROLLBACK', 'the honest timestamp now looks like a rollback');
  repo.rotateKeys('timestamp');
  await repo.publish();
  const result = await updater.refresh();
  t.equal(result.timestamp, repo.version('timestamp'), 'recovered after the timestamp key rotation');
  t.same(await store.read('timestamp'), repo.metadata('timestamp'));
});

t.test('indefinite freeze: a frozen mirror is refused once its timestamp has expired', async (t) => {
  let clock = Date.now();
  const repo = await vendorRepository({ lifetimes: { timestamp: 1 * 86_400 } });
  const server = await serve(t, repo);
  const { updater } = client(repo, server, { config: { clock: () => new Date(clock) } });
  await updater.refresh();
  repo.freeze();
  clock += 2 * DAY;
  await repo.publish();
  const error = await failure(t, updater.refresh());
  t.equal(error.code, 'STW_DEVICE_FREEZE');
  t.equal(error.details?.role, 'timestamp');
  repo.unfreeze();
  await repo.publish();
  t.equal(await rejection(t, updater.refresh()), 'STW_DEVICE_FREEZE', 'the repository signed with the old clock: still expired');
});

t.test('indefinite freeze: an expired root is refused even with fresh timestamps', async (t) => {
  const repo = await vendorRepository({ lifetimes: { root: 30 * 86_400, timestamp: 90 * 86_400, snapshot: 90 * 86_400 } });
  const server = await serve(t, repo);
  const now = Date.now();
  t.ok(await client(repo, server, { config: { clock: () => new Date(now + 29 * DAY) } }).updater.refresh());
  const error = await failure(t, client(repo, server, { config: { clock: () => new Date(now + 31 * DAY) } }).updater.refresh());
  t.equal(error.code, 'STW_DEVICE_FREEZE');
  t.equal(error.details?.role, 'root');
});

t.test('malicious mirrors: a mirror serving bad data cannot keep a client from the good one', async (t) => {
  const repo = await vendorRepository();
  repo.rotateKeys('timestamp');
  repo.addTarget('acme/fw-3.0.bin', 'acme firmware 3.0', { role: 'acme' });
  await repo.publish();
  const bad = await serve(t, repo);
  const good = await serve(t, repo);
  const attacker = generateKeyPair('ed25519').signer;
  bad.override('metadata/2.root.json', { status: 404 });
  bad.override('metadata/timestamp.json', await repo.forge('timestamp', (signed) => void (signed.version = 99), [attacker]));
  bad.override(`targets/${repo.targetPath('acme/fw-3.0.bin', 'acme')}`, Buffer.from('acme firmware 6.6'));
  const targetDir = t.testdir({});

  const alone = client(repo, bad, { targetDir });
  t.equal(await rejection(t, alone.updater.refresh()), 'STW_DEVICE_SIGNATURE_INVALID', 'the bad mirror alone is refused');

  const { updater } = client(repo, bad, { targetDir, metadataUrl: [bad.metadataUrl, good.metadataUrl], targetUrl: [bad.targetsUrl, good.targetsUrl] });
  const result = await updater.refresh();
  t.match(result, { root: 2, timestamp: repo.version('timestamp') });
  const target = await updater.getTargetInfo('acme/fw-3.0.bin');
  if (!target) throw new Error('target not found');
  const download = await updater.downloadTarget(target);
  t.equal(download.outcome, 'downloaded');
  t.ok(existsSync(join(targetDir, 'acme%2Ffw-3.0.bin')));
  t.ok(good.requestedPaths().includes('metadata/2.root.json'), 'the rotation hidden by the bad mirror was found on the good one');
});

t.test('mix-and-match: metadata from different repository states is refused', async (t) => {
  const consistent = await vendorRepository();
  const first = consistent.metadata('snapshot');
  consistent.addTarget('acme/fw-3.0.bin', 'acme firmware 3.0', { role: 'acme' });
  await consistent.publish();
  const server = await serve(t, consistent);
  server.override(`metadata/${consistent.metadataPath('snapshot')}`, first);
  const error = await failure(t, client(consistent, server).updater.refresh());
  t.equal(error.code, 'STW_DEVICE_MIX_AND_MATCH');
  t.equal(error.details?.role, 'snapshot');

  const plain = await vendorRepository({ consistentSnapshot: false });
  const oldAcme = plain.metadata('acme');
  plain.addTarget('acme/fw-3.0.bin', 'acme firmware 3.0', { role: 'acme' });
  await plain.publish();
  const plainServer = await serve(t, plain);
  plainServer.override('metadata/acme.json', oldAcme);
  const mixed = await failure(t, client(plain, plainServer).updater.getTargetInfo('acme/fw-2.0.bin'));
  t.equal(mixed.code, 'STW_DEVICE_MIX_AND_MATCH');
  t.equal(mixed.details?.role, 'acme');
});

t.test('rollback: older timestamp, older targets roles and older roots are refused', async (t) => {
  const repo = await vendorRepository();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  await updater.refresh();
  t.ok(await updater.getTargetInfo('acme/fw-2.0.bin'));
  const oldTimestamp = repo.metadata('timestamp');
  repo.addTarget('acme/fw-3.0.bin', 'acme firmware 3.0', { role: 'acme' });
  await repo.publish();
  await updater.refresh();

  server.override('metadata/timestamp.json', oldTimestamp);
  t.equal(await rejection(t, updater.refresh()), 'STW_DEVICE_ROLLBACK', 'replayed timestamp');
  server.clearOverrides();

  // Even the online keys together cannot take a targets role back a version (TUF 5.5.5).
  const nextSnapshot = repo.version('snapshot') + 1;
  const rolledBack = await repo.forge('snapshot', (signed) => {
    signed.version = nextSnapshot;
    metaOf(signed, 'acme.json').version = 1;
  });
  const timestamp = await repo.forge('timestamp', (signed) => {
    signed.version = repo.version('timestamp') + 1;
    signed.meta = { 'snapshot.json': { version: nextSnapshot } };
  });
  server.override('metadata/timestamp.json', timestamp);
  server.override(`metadata/${nextSnapshot}.snapshot.json`, rolledBack);
  const error = await failure(t, updater.refresh());
  t.equal(error.code, 'STW_DEVICE_ROLLBACK');
  t.equal(error.details?.role, 'snapshot');
  server.clearOverrides();

  server.override('metadata/2.root.json', repo.metadata('root', 1));
  t.equal(await rejection(t, updater.refresh()), 'STW_DEVICE_ROOT_ROTATION_FAILED', 'version 1 offered as version 2');
});

t.test('key compromise below threshold: fewer valid signatures than the threshold are never enough', async (t) => {
  const repo = await vendorRepository({ roles: { root: { count: 3, threshold: 2 }, targets: { count: 3, threshold: 2 } } });
  const server = await serve(t, repo);
  const stolenTargetsKey = repo.keyring('targets').signers[0]!;
  const forgedTargets = await repo.forge('targets', (signed) => void (targetsOf(signed)['evil.bin'] = { length: 1, hashes: { sha256: 'bb'.repeat(32) } }), [stolenTargetsKey, stolenTargetsKey]);
  server.override(`metadata/${repo.metadataPath('targets')}`, forgedTargets);
  t.equal(await rejection(t, client(repo, server).updater.refresh()), 'STW_DEVICE_SIGNATURE_INVALID', 'one targets key, signature repeated');
  server.clearOverrides();

  const stolenRootKey = repo.keyring('root').signers[0]!;
  const attacker = generateKeyPair('ed25519').signer;
  const takeover = await repo.forge('root', (signed) => {
    signed.version = 2;
    const keyId = attacker.publicKey.keyId();
    (signed.keys as JsonObject)[keyId] = attacker.publicKey.toJSON();
    (signed.roles as JsonObject).root = { keyids: [keyId], threshold: 1 };
  }, [stolenRootKey, attacker]);
  server.override('metadata/2.root.json', takeover);
  const error = await failure(t, client(repo, server).updater.refresh());
  t.equal(error.code, 'STW_DEVICE_ROOT_ROTATION_FAILED');
  t.equal(error.details?.reason, 'STW_MANIFEST_THRESHOLD_NOT_MET');
});

t.test('wrong software installation: another signed target cannot stand in for the one asked for', async (t) => {
  const repo = await vendorRepository();
  const server = await serve(t, repo);
  const older = repo.files().get(`targets/${repo.targetPath('acme/fw-1.0.bin', 'acme')}`);
  if (!older) throw new Error('fixture');
  server.override(`targets/${repo.targetPath('acme/fw-2.0.bin', 'acme')}`, older);
  const targetDir = t.testdir({});
  const { updater } = client(repo, server, { targetDir });
  const wanted = await updater.getTargetInfo('acme/fw-2.0.bin');
  if (!wanted) throw new Error('target not found');
  t.equal(await rejection(t, updater.downloadTarget(wanted)), 'STW_DEVICE_TARGET_MISMATCH', 'fw 1.0 served for fw 2.0');

  repo.addTarget('acme/fw-2.0.bin', 'globex build of acme 2.0', { role: 'globex' });
  await repo.publish();
  const { updater: fresh } = client(repo, server);
  const found = await fresh.findTarget('acme/fw-2.0.bin');
  t.equal(found?.role, 'acme', 'the entry comes from the role delegated acme/*');
  t.ok(found?.target.sameContentAs(repo.targetInfo('acme/fw-2.0.bin', 'acme')));
});
