/**
 * Interoperability: tuf-js (5.0.1), a standard TUF client, consumes repositories written and
 * signed by manifests/ (through the fixture builder): root and key rotation, delegations,
 * consistent snapshots or not, ed25519 or RSA-PSS keys, a target download.
 */
import t from 'tap';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Updater as TufJsUpdater } from 'tuf-js';
import type { SupportedKeyType } from '../../../manifests/index.js';
import { TufRepository } from '../../helpers/tuf-repository.js';
import { serve } from './fixtures/client.js';

const firmware = Buffer.from('acme t100 firmware 3.1.4 '.repeat(500));

for (const [keyType, consistentSnapshot] of [['ed25519', true], ['rsa', false]] as [SupportedKeyType, boolean][]) {
  t.test(`tuf-js refreshes, searches and downloads from a ${keyType} repository (consistent snapshots: ${consistentSnapshot})`, async (t) => {
    const repo = await TufRepository.create({ keyType, consistentSnapshot, roles: { root: { count: 2, threshold: 2 } }, snapshotPinsHashes: true });
    repo.delegate('targets', 'acme', { paths: ['acme/*'], terminating: true });
    repo.delegate('acme', 'acme-pos', { paths: ['acme/pos-*'] });
    repo.addTarget('acme/pos-fw.bin', firmware, { role: 'acme-pos', custom: { version: '3.1.4', hardware: ['t100'] } });
    await repo.publish();
    repo.rotateKeys('root', { count: 3, threshold: 2 });
    repo.rotateKeys('timestamp');
    await repo.publish();
    repo.bumpRoot();
    await repo.publish();
    const server = await serve(t, repo);

    const dir = t.testdir({});
    const metadataDir = join(dir, 'metadata');
    await mkdir(metadataDir);
    await writeFile(join(metadataDir, 'root.json'), repo.metadata('root', 1));
    const tufJs = new TufJsUpdater({ metadataDir, metadataBaseUrl: server.metadataUrl, targetBaseUrl: server.targetsUrl, targetDir: dir });
    await tufJs.refresh();
    t.same(await readFile(join(metadataDir, 'root.json')), repo.metadata('root', 3), 'walked the root chain to version 3');
    const info = await tufJs.getTargetInfo('acme/pos-fw.bin');
    t.ok(info, 'found through two levels of delegation');
    if (!info) return;
    t.same(info.custom, { version: '3.1.4', hardware: ['t100'] });
    const path = await tufJs.downloadTarget(info, join(dir, 'fw.bin'));
    t.same(await readFile(path), firmware);
  });
}

t.test('tuf-js refuses the same repository when a role is tampered with', async (t) => {
  const repo = await TufRepository.create();
  repo.addTarget('fw.bin', firmware);
  await repo.publish();
  const server = await serve(t, repo);
  server.override(`metadata/${repo.metadataPath('targets')}`, await repo.forge('targets', (signed) => void (signed.expires = '2099-01-01T00:00:00Z'), []));
  const dir = t.testdir({ metadata: {} });
  await writeFile(join(dir, 'metadata', 'root.json'), repo.metadata('root', 1));
  const tufJs = new TufJsUpdater({ metadataDir: join(dir, 'metadata'), metadataBaseUrl: server.metadataUrl, targetBaseUrl: server.targetsUrl, targetDir: dir });
  await t.rejects(tufJs.refresh());
});
