// An independent TUF client (tuf-js 5) refreshes from the running server and downloads a
// published firmware; a blob tampered with in storage is rejected by it.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Updater } from 'tuf-js';
import { initialiseRepository, publishRelease, startTestServer } from '../../helpers/server-harness.js';

function findBlob(dir: string, sha256: string): string | undefined {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const found = findBlob(path, sha256);
      if (found) return found;
    } else if (entry === sha256) return path;
  }
  return undefined;
}

t.test('tuf-js refreshes from the server, downloads a release, and rejects a tampered blob', async (t) => {
  const server = await startTestServer(t, { listen: true });
  const repo = await initialiseRepository(server, { vendors: ['acme'] });
  const firmware = Buffer.from('genuine firmware '.repeat(4096));
  const { path } = await publishRelease(server, repo.vendors['acme']!, { file: 't100-fw-1.0.0.bin', bytes: firmware, version: '1.0.0' });

  const client = mkdtempSync(join(tmpdir(), 'steward-tufjs-'));
  t.teardown(() => rmSync(client, { recursive: true, force: true }));
  writeFileSync(join(client, 'root.json'), repo.rootBytes);
  const updater = (targetDir: string) =>
    new Updater({ metadataBaseUrl: `${server.url}/v1/repository/metadata`, targetBaseUrl: `${server.url}/v1/repository/targets`, metadataDir: client, targetDir });

  const goodDir = mkdtempSync(join(client, 'good-'));
  const first = updater(goodDir);
  await first.refresh();
  const info = await first.getTargetInfo(path);
  t.ok(info, 'the target is found through the acme delegation');
  const downloaded = await first.downloadTarget(info!, join(goodDir, 'fw.bin'));
  t.same(readFileSync(downloaded), firmware, 'downloaded bytes are the published ones');

  // Tamper with the stored blob (same length, one byte changed).
  const blob = findBlob(server.config.blobs.kind === 'fs' ? server.config.blobs.dir : '', info!.hashes['sha256']!);
  t.ok(blob, 'blob found in storage');
  const tampered = Buffer.from(firmware);
  tampered[100] = tampered[100]! ^ 0xff;
  writeFileSync(blob!, tampered);
  const badDir = mkdtempSync(join(client, 'bad-'));
  const second = updater(badDir);
  await second.refresh();
  const again = await second.getTargetInfo(path);
  await t.rejects(second.downloadTarget(again!, join(badDir, 'fw.bin')), 'tuf-js refuses the tampered target');
});
