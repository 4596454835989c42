/**
 * A delegated role reachable through more than one delegator must be verified against the
 * keys of the delegator on the current search path (TUF 5.6.7), including when an earlier
 * search already verified it through another delegator. Here `shared` is delegated by
 * `evil` (with the attacker's key, which signed it) and by `acme` (with acme's key, which did
 * not): it may speak for evil/*, never for acme/*.
 */
import t, { type Test } from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Updater as TufJsUpdater } from 'tuf-js';
import { FsMetadataStore } from '../../../device-sdk/store/index.js';
import { Keyring } from '../../helpers/tuf-keys.js';
import { TufRepository } from '../../helpers/tuf-repository.js';
import { client, failure, serve } from './fixtures/client.js';

async function sharedRoleRepository(sameKeys: boolean) {
  const repo = await TufRepository.create();
  const attacker = Keyring.generate();
  const acmeSubKey = sameKeys ? attacker : Keyring.generate();
  repo.delegate('targets', 'evil', { paths: ['evil/*'] });
  repo.delegate('targets', 'acme', { paths: ['acme/*'] });
  repo.delegate('evil', 'shared', { keyring: attacker, paths: ['evil/*', 'acme/*'] });
  repo.delegate('acme', 'shared', { keyring: acmeSubKey, paths: ['acme/*'] });
  repo.addTarget('evil/tool.bin', 'a tool', { role: 'shared' });
  repo.addTarget('acme/fw.bin', 'not acme firmware', { role: 'shared' });
  await repo.publish();
  return repo;
}

async function fsClient(t: Test, repo: TufRepository, server: Awaited<ReturnType<typeof serve>>) {
  const dir = t.testdir({});
  const store = new FsMetadataStore(dir);
  await store.write('root', repo.metadata('root', 1));
  return { dir, store, updater: client(repo, server, { store }).updater };
}

t.test('a role verified through one delegator is verified again through another, and refused there', async (t) => {
  const repo = await sharedRoleRepository(false);
  const server = await serve(t, repo);
  const { store, updater } = await fsClient(t, repo, server);
  const tool = await updater.findTarget('evil/tool.bin');
  t.equal(tool?.role, 'shared', 'through evil, with the key evil names');
  const error = await failure(t, updater.getTargetInfo('acme/fw.bin'));
  t.equal(error.code, 'STW_DEVICE_SIGNATURE_INVALID');
  t.equal(error.details?.role, 'shared');

  const { updater: later } = client(repo, server, { store });
  t.equal((await failure(t, later.getTargetInfo('acme/fw.bin'))).code, 'STW_DEVICE_SIGNATURE_INVALID', 'the stored copy is checked against acme too');
});

t.test('the refusal does not depend on search order: acme first, then evil', async (t) => {
  const repo = await sharedRoleRepository(false);
  const server = await serve(t, repo);
  const { updater } = await fsClient(t, repo, server);
  t.equal((await failure(t, updater.getTargetInfo('acme/fw.bin'))).code, 'STW_DEVICE_SIGNATURE_INVALID');
  t.equal((await updater.findTarget('evil/tool.bin'))?.role, 'shared');
});

t.test('when both delegators name the key that signed it, the role serves both paths', async (t) => {
  const repo = await sharedRoleRepository(true);
  const server = await serve(t, repo);
  const { updater } = await fsClient(t, repo, server);
  t.ok(await updater.getTargetInfo('evil/tool.bin'));
  t.ok(await updater.getTargetInfo('acme/fw.bin'));
});

t.test('a client that caches delegated roles by name alone (tuf-js 5.0.1) is fooled by the same repository', async (t) => {
  const repo = await sharedRoleRepository(false);
  const server = await serve(t, repo);
  const dir = t.testdir({});
  const metadataDir = join(dir, 'metadata');
  await mkdir(metadataDir);
  await writeFile(join(metadataDir, 'root.json'), repo.metadata('root', 1));
  const tufJs = new TufJsUpdater({ metadataDir, metadataBaseUrl: server.metadataUrl, targetBaseUrl: server.targetsUrl, targetDir: dir });
  await tufJs.refresh();
  t.ok(await tufJs.getTargetInfo('evil/tool.bin'));
  const accepted = await tufJs.getTargetInfo('acme/fw.bin');
  t.ok(accepted, 'tuf-js returns the entry signed with the attacker key for acme/fw.bin');
});
