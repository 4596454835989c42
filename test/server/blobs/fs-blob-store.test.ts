import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import t, { type Test } from 'tap';
import { FsBlobStore, HasherPool } from '../../../server/blobs/index.js';
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
      const store = new FsBlobStore(dir);
      t.teardown(() => store.close());
      return { store, listStored: async () => listFiles(dir) };
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

t.test('a large upload is hashed on the threads of the store, one per hash when it has two, and leaves no job there', async (t) => {
  for (const maxWorkers of [1, 2]) {
    const dir = freshDir(t);
    const hashers = new HasherPool({ maxWorkers });
    t.teardown(() => hashers.close());
    const store = new FsBlobStore(dir, { hashers });
    const bytes = randomBytes(3 * 1024 * 1024);
    const digest = await store.put(Readable.from([bytes]), { maxLength: bytes.length });
    t.equal(digest.sha512, createHash('sha512').update(bytes).digest('hex'), `${maxWorkers} thread(s): SHA-512`);
    t.equal(digest.sha256, createHash('sha256').update(bytes).digest('hex'), `${maxWorkers} thread(s): SHA-256`);
    t.equal(hashers.threads, maxWorkers, `${maxWorkers} thread(s) used`);
    t.equal(hashers.jobs, 0);
  }
});

t.test('uploads that fail release their hash jobs and leave no file', async (t) => {
  const dir = freshDir(t);
  const hashers = new HasherPool({ maxWorkers: 1, slabBytes: 64 * 1024, slabsPerJob: 2 });
  t.teardown(() => hashers.close());
  const store = new FsBlobStore(dir, { hashers });
  async function* broken(): AsyncGenerator<Uint8Array> {
    yield randomBytes(1024 * 1024);
    throw new Error('client went away');
  }
  await t.rejects(store.put(broken(), { maxLength: 4 * 1024 * 1024 }), { code: 'STW_BLOB_SOURCE_FAILED' });
  await t.rejects(store.put(Readable.from([randomBytes(300_000)]), { maxLength: 200_000 }), { code: 'STW_BLOB_TOO_LARGE' });
  const bytes = randomBytes(500_000);
  await t.rejects(store.put(Readable.from([bytes]), { maxLength: bytes.length, expectedSha256: '0'.repeat(64) }), { code: 'STW_BLOB_HASH_MISMATCH' });
  t.equal(hashers.jobs, 0, 'every job was released');
  t.same(listFiles(dir), []);
});

t.test('when the store closes during an upload, the upload fails as a backend error and leaves nothing', async (t) => {
  const dir = freshDir(t);
  const store = new FsBlobStore(dir);
  let closed: Promise<void> | undefined;
  async function* slow(): AsyncGenerator<Uint8Array> {
    yield randomBytes(2 * 1024 * 1024);
    closed = store.close();
    await closed;
    yield randomBytes(1024);
  }
  await t.rejects(store.put(slow(), { maxLength: 4 * 1024 * 1024 }), { code: 'STW_BLOB_BACKEND' });
  t.same(listFiles(dir), []);
  const { length } = await store.put(Readable.from([Buffer.from('after close')]), { maxLength: 100 });
  t.equal(length, 11, 'a closed store still stores, hashing on the calling thread');
});
