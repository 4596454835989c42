import t, { type Test } from 'tap';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TufRepository } from '../../helpers/tuf-repository.js';
import { client, rejection, serve } from './fixtures/client.js';

const firmware = Buffer.from('acme t100 firmware 2.1.0 '.repeat(1000));

async function setup(t: Test, consistentSnapshot = true) {
  const repo = await TufRepository.create({ consistentSnapshot });
  repo.delegate('targets', 'acme');
  repo.addTarget('acme/fw.bin', firmware, { role: 'acme' });
  await repo.publish();
  const server = await serve(t, repo);
  const targetDir = t.testdir({});
  const { updater } = client(repo, server, { targetDir });
  return { repo, server, targetDir, updater };
}

t.test('with consistent snapshots the target is fetched as HASH.NAME and lands under its encoded path', async (t) => {
  const { repo, server, targetDir, updater } = await setup(t);
  const target = await updater.getTargetInfo('acme/fw.bin');
  if (!target) throw new Error('target not found');
  const result = await updater.downloadTarget(target);
  t.equal(result.outcome, 'downloaded');
  t.equal(result.path, join(targetDir, 'acme%2Ffw.bin'));
  t.same(await readFile(result.path), firmware);
  t.equal(server.requestedPaths().at(-1), `targets/${repo.targetPath('acme/fw.bin', 'acme')}`);
  t.match(server.requestedPaths().at(-1), /^targets\/acme\/[0-9a-f]{64}\.fw\.bin$/);
});

t.test('without consistent snapshots the target is fetched under its own path', async (t) => {
  const { server, updater } = await setup(t, false);
  const target = await updater.getTargetInfo('acme/fw.bin');
  if (!target) throw new Error('target not found');
  await updater.downloadTarget(target);
  t.equal(server.requestedPaths().at(-1), 'targets/acme/fw.bin');
});

t.test('a target already present with the right hashes is not downloaded again', async (t) => {
  const { server, updater } = await setup(t);
  const target = await updater.getTargetInfo('acme/fw.bin');
  if (!target) throw new Error('target not found');
  await updater.downloadTarget(target);
  const before = server.requests.length;
  const again = await updater.downloadTarget(target);
  t.equal(again.outcome, 'present');
  t.equal(server.requests.length, before);
});

t.test('a target is written to an explicit destination when one is given', async (t) => {
  const { updater } = await setup(t);
  const destination = join(t.testdir({}), 'fw.bin');
  const target = await updater.getTargetInfo('acme/fw.bin');
  if (!target) throw new Error('target not found');
  await updater.downloadTarget(target, destination);
  t.same(await readFile(destination), firmware);
});

t.test('bytes that do not match the target are never moved into place', async (t) => {
  const { repo, server, targetDir, updater } = await setup(t);
  server.override(`targets/${repo.targetPath('acme/fw.bin', 'acme')}`, Buffer.alloc(firmware.byteLength, 0x41));
  const target = await updater.getTargetInfo('acme/fw.bin');
  if (!target) throw new Error('target not found');
  t.equal(await rejection(t, updater.downloadTarget(target)), 'STW_DEVICE_TARGET_MISMATCH');
  t.notOk(existsSync(join(targetDir, 'acme%2Ffw.bin')));
  t.same(await readdir(targetDir), [], 'no partial file left either');
});

t.test('downloadTarget without a target directory or destination is a usage error', async (t) => {
  const { repo, server } = await setup(t);
  const { updater } = client(repo, server);
  const target = await updater.getTargetInfo('acme/fw.bin');
  if (!target) throw new Error('target not found');
  t.equal(await rejection(t, updater.downloadTarget(target)), 'STW_DEVICE_USAGE');
});
