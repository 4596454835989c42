import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import t, { type Test } from 'tap';
import { FsBlobStore } from '../../../server/blobs/index.js';
import { blobStoreContract } from './blob-store-contract.js';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function freshDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-blobs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('FsBlobStore keeps the BlobStore contract', async (t) => {
  await blobStoreContract(t, {
    create: async (t) => {
      const dir = freshDir(t);
      return { store: new FsBlobStore(dir), listStored: async () => listFiles(dir) };
    },
    presign: false,
  });
});

t.test('blobs live at <dir>/<first two hex digits>/<sha256>', async (t) => {
  const dir = freshDir(t);
  const store = new FsBlobStore(dir);
  const { sha256 } = await store.put(Readable.from([Buffer.from('firmware')]), { maxLength: 100 });
  t.same(listFiles(dir), [join(sha256.slice(0, 2), sha256)]);
  t.equal(store.pathOf(sha256), join(dir, sha256.slice(0, 2), sha256));
});

t.test('the directory is created on first upload', async (t) => {
  const dir = join(freshDir(t), 'not', 'yet');
  const store = new FsBlobStore(dir);
  const { length } = await store.put(Readable.from([Buffer.from('abc')]), { maxLength: 3 });
  t.equal(length, 3);
});

t.test('when maxLength is not a non-negative integer, put refuses to start', async (t) => {
  const store = new FsBlobStore(freshDir(t));
  for (const maxLength of [Number.NaN, -1, 1.5, Infinity]) {
    await t.rejects(store.put(Readable.from([Buffer.from('x')]), { maxLength }), TypeError, String(maxLength));
  }
});
