import t from 'tap';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KeyObjectSigner } from '../../../manifests/index.js';
import { OnlineKeyring } from '../../../server/index.js';
import { localConfig } from '../../../server/cli/index.js';
import { makeWorkDir, printedCode, stewardInProcess } from './cli-harness.js';

const TOKEN = /stw_[A-Za-z0-9_-]+/g;

t.test('init prepares the data directory once and keeps it on later runs', async (t) => {
  const work = makeWorkDir(t);
  const first = await stewardInProcess(['init', '--data-dir', work.dataDir]);
  t.equal(first.code, 0, first.stderr);
  t.equal(first.stdout.match(TOKEN)?.length, 1, 'one operator token is printed');
  for (const role of ['snapshot', 'timestamp', 'director']) {
    const path = join(work.dataDir, 'keys', `${role}.pem`);
    t.equal(statSync(path).mode & 0o777, 0o600, `${role}.pem is 0600`);
    t.match(readFileSync(path, 'utf8'), /^-----BEGIN PRIVATE KEY-----/, `${role}.pem is PKCS#8`);
  }
  t.equal(statSync(join(work.dataDir, 'keys')).mode & 0o777, 0o700, 'the keys directory is 0700');
  t.ok(statSync(join(work.dataDir, 'steward.db')).isFile(), 'the database file exists');
  t.ok(statSync(join(work.dataDir, 'blobs')).isDirectory(), 'the blob directory exists');
  const snapshotPem = readFileSync(join(work.dataDir, 'keys', 'snapshot.pem'), 'utf8');

  const second = await stewardInProcess(['init', '--data-dir', work.dataDir]);
  t.equal(second.code, 0);
  t.equal(second.stdout.match(TOKEN), null, 'no second token without asking');
  t.match(second.stdout, /up to date/);
  t.match(second.stdout, /snapshot\s+kept/);
  t.equal(readFileSync(join(work.dataDir, 'keys', 'snapshot.pem'), 'utf8'), snapshotPem, 'keys are kept');

  const third = await stewardInProcess(['init', '--data-dir', work.dataDir, '--new-operator-token']);
  t.equal(third.stdout.match(TOKEN)?.length, 1, '--new-operator-token issues another');
  t.not(third.stdout.match(TOKEN)?.[0], first.stdout.match(TOKEN)?.[0]);
});

t.test('keys online prints the public halves of the keys the server loads', async (t) => {
  const work = makeWorkDir(t);
  t.equal((await stewardInProcess(['init', '--data-dir', work.dataDir])).code, 0);
  const online = await stewardInProcess(['keys', 'online', '--keys-dir', join(work.dataDir, 'keys')]);
  t.equal(online.code, 0);
  const printed = JSON.parse(online.stdout) as Record<string, { keyid: string }>;
  const keyring = await OnlineKeyring.load(join(work.dataDir, 'keys'));
  t.same(Object.keys(printed), ['snapshot', 'timestamp', 'director']);
  t.same(Object.values(printed).map((entry) => entry.keyid).sort(), [...keyring.keyIds].sort());
  const snapshot = KeyObjectSigner.fromPem(readFileSync(join(work.dataDir, 'keys', 'snapshot.pem'), 'utf8'));
  t.equal(printed['snapshot']?.keyid, snapshot.publicKey.keyId());
});

t.test('keys online without init names the missing key', async (t) => {
  const work = makeWorkDir(t);
  const run = await stewardInProcess(['keys', 'online', '--keys-dir', work.path('nothing-here')]);
  t.equal(run.code, 1);
  t.equal(printedCode(run), 'STW_CLI_ONLINE_KEYS_MISSING');
});

t.test('--data-dir moves the defaults but not explicit settings', async (t) => {
  const moved = localConfig({}, '/srv/steward');
  t.equal(moved.databaseUrl, 'sqlite:/srv/steward/steward.db');
  t.same(moved.blobs, { kind: 'fs', dir: '/srv/steward/blobs' });
  t.equal(moved.keysDir, '/srv/steward/keys');
  const explicit = localConfig({ DATABASE_URL: 'postgres://db/steward', STEWARD_KEYS_DIR: '/etc/steward/keys' }, '/srv/steward');
  t.equal(explicit.databaseUrl, 'postgres://db/steward');
  t.equal(explicit.keysDir, '/etc/steward/keys');
  t.same(explicit.blobs, { kind: 'fs', dir: '/srv/steward/blobs' });
});
