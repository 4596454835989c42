/**
 * The behaviour every BlobStore must have, as one suite run against each implementation
 * (FsBlobStore; S3BlobStore on s3rver and on Ceph radosgw).
 *
 * @example
 * await blobStoreContract(t, {
 *   create: async (t) => { const dir = t.testdir(); return { store: new FsBlobStore(dir), listStored: () => listFiles(dir) }; },
 *   presign: false,
 * });
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Test } from 'tap';
import { StorageError, type BlobStore } from '../../../server/blobs/index.js';

export interface ContractStore {
  /** An empty store of its own (own directory, or own key prefix). */
  readonly store: BlobStore;
  /** Everything the backend holds for this store, temporary files and unfinished uploads included. */
  listStored(): Promise<string[]>;
}

export interface ContractSubject {
  create(t: Test): Promise<ContractStore>;
  /** Whether the store hands out presigned URLs (S3). */
  readonly presign: boolean;
}

const MiB = 1024 * 1024;

export async function blobStoreContract(t: Test, subject: ContractSubject): Promise<void> {
  await t.test('a stored blob reads back byte for byte, with its SHA-256, SHA-512 and length', async (t) => {
    const { store } = await subject.create(t);
    const bytes = randomBytes(100_000);
    const digest = await store.put(chunked(bytes, 7_000), { maxLength: bytes.length });
    t.same(digest, { sha256: sha(bytes, 'sha256'), sha512: sha(bytes, 'sha512'), length: bytes.length });
    t.same(await store.stat(digest.sha256), { length: bytes.length });
    const found = await store.get(digest.sha256);
    t.equal(found?.length, bytes.length);
    t.equal(found?.totalLength, bytes.length);
    t.ok(found && (await collect(found.body)).equals(bytes));
  });

  await t.test('a Node Readable is accepted as the source', async (t) => {
    const { store } = await subject.create(t);
    const bytes = randomBytes(50_000);
    const { sha256 } = await store.put(Readable.from(chunked(bytes, 4096)), { maxLength: bytes.length });
    t.equal(sha256, sha(bytes, 'sha256'));
  });

  await t.test('when a Readable source is refused as too large, the source is left for the caller', async (t) => {
    const { store } = await subject.create(t);
    const source = Readable.from(chunked(randomBytes(100_000), 1000), { objectMode: false });
    await t.rejects(store.put(source, { maxLength: 10_000 }), { code: 'STW_BLOB_TOO_LARGE' });
    t.equal(source.destroyed, false, 'not destroyed: an HTTP server can still answer 413');
    source.destroy();
  });

  await t.test('ranges return the requested bytes and report the total length', async (t) => {
    const { store } = await subject.create(t);
    const bytes = randomBytes(10_000);
    const { sha256 } = await store.put(chunked(bytes, 1000), { maxLength: bytes.length });
    const cases: [string, { start: number; end?: number }, Buffer][] = [
      ['from a start to the end', { start: 1234 }, bytes.subarray(1234)],
      ['from a start to an end', { start: 100, end: 199 }, bytes.subarray(100, 200)],
      ['the last byte only', { start: 9_999 }, bytes.subarray(9_999)],
      ['the last byte by start and end', { start: 9_999, end: 9_999 }, bytes.subarray(9_999)],
      ['the first byte', { start: 0, end: 0 }, bytes.subarray(0, 1)],
      ['an end past the end, clipped', { start: 9_990, end: 20_000 }, bytes.subarray(9_990)],
    ];
    for (const [name, range, expected] of cases) {
      const found = await store.get(sha256, range);
      t.equal(found?.length, expected.length, `${name}: length`);
      t.equal(found?.totalLength, bytes.length, `${name}: total length`);
      t.ok(found && (await collect(found.body)).equals(expected), `${name}: bytes`);
    }
  });

  await t.test('a range starting at or past the end is not satisfiable', async (t) => {
    const { store } = await subject.create(t);
    const bytes = randomBytes(100);
    const { sha256 } = await store.put(chunked(bytes, 100), { maxLength: 100 });
    await t.rejects(store.get(sha256, { start: 100 }), { constructor: StorageError, code: 'STW_BLOB_RANGE_NOT_SATISFIABLE' });
    await t.rejects(store.get(sha256, { start: 50, end: 10 }), { code: 'STW_BLOB_RANGE_NOT_SATISFIABLE' }, 'end before start');
    await t.rejects(store.get(sha256, { start: -1 }), { code: 'STW_BLOB_RANGE_NOT_SATISFIABLE' }, 'negative start');
  });

  await t.test('when an upload exceeds maxLength, it fails as too large and nothing is stored', async (t) => {
    const { store, listStored } = await subject.create(t);
    const bytes = randomBytes(300_000);
    await t.rejects(store.put(chunked(bytes, 16_384), { maxLength: bytes.length - 1 }), { constructor: StorageError, code: 'STW_BLOB_TOO_LARGE' });
    t.same(await listStored(), []);
    t.equal(await store.stat(sha(bytes, 'sha256')), undefined);
  });

  await t.test('when an upload has another SHA-256 than expected, it fails as a mismatch and nothing is stored', async (t) => {
    const { store, listStored } = await subject.create(t);
    const bytes = randomBytes(20_000);
    const expectedSha256 = sha(Buffer.from('something else'), 'sha256');
    await t.rejects(store.put(chunked(bytes, 4096), { maxLength: bytes.length, expectedSha256 }), { constructor: StorageError, code: 'STW_BLOB_HASH_MISMATCH' });
    t.same(await listStored(), []);
    t.equal(await store.get(sha(bytes, 'sha256')), undefined);
  });

  await t.test('an upload with the expected SHA-256 is stored', async (t) => {
    const { store } = await subject.create(t);
    const bytes = randomBytes(2048);
    const digest = await store.put(chunked(bytes, 512), { maxLength: 2048, expectedSha256: sha(bytes, 'sha256') });
    t.equal(digest.sha256, sha(bytes, 'sha256'));
  });

  await t.test('when the source fails half-way, the upload fails as a source failure and nothing is stored', async (t) => {
    const { store, listStored } = await subject.create(t);
    const failure = new Error('client went away');
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield randomBytes(10_000);
      throw failure;
    }
    const error = await store.put(broken(), { maxLength: MiB }).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.type(error, StorageError);
    t.equal((error as StorageError).code, 'STW_BLOB_SOURCE_FAILED');
    t.equal((error as StorageError).cause, failure);
    t.same(await listStored(), []);
  });

  await t.test('unknown blobs are undefined, and deleting one is not an error', async (t) => {
    const { store } = await subject.create(t);
    const unknown = sha(Buffer.from('never stored'), 'sha256');
    t.equal(await store.get(unknown), undefined);
    t.equal(await store.get(unknown, { start: 0 }), undefined);
    t.equal(await store.stat(unknown), undefined);
    await store.delete(unknown);
    t.pass('delete of an unknown blob resolved');
  });

  await t.test('a key that is not lowercase SHA-256 hex is refused before it reaches the backend', async (t) => {
    const { store } = await subject.create(t);
    for (const key of ['../../etc/passwd', 'A'.repeat(64), 'ab', `${'a'.repeat(64)}/x`]) {
      await t.rejects(store.get(key), { code: 'STW_BLOB_INVALID_KEY' }, key);
    }
    await t.rejects(store.put(chunked(Buffer.from('x'), 1), { maxLength: 1, expectedSha256: 'nope' }), { code: 'STW_BLOB_INVALID_KEY' });
  });

  await t.test('a deleted blob is gone', async (t) => {
    const { store, listStored } = await subject.create(t);
    const { sha256 } = await store.put(chunked(randomBytes(1000), 1000), { maxLength: 1000 });
    await store.delete(sha256);
    t.equal(await store.get(sha256), undefined);
    t.same(await listStored(), []);
  });

  await t.test('an empty blob stores and reads back, and has no satisfiable range', async (t) => {
    const { store } = await subject.create(t);
    const digest = await store.put(chunked(Buffer.alloc(0), 1), { maxLength: 0 });
    t.same(digest, { sha256: sha(Buffer.alloc(0), 'sha256'), sha512: sha(Buffer.alloc(0), 'sha512'), length: 0 });
    const found = await store.get(digest.sha256);
    t.equal(found?.length, 0);
    t.ok(found && (await collect(found.body)).length === 0);
    await t.rejects(store.get(digest.sha256, { start: 0 }), { code: 'STW_BLOB_RANGE_NOT_SATISFIABLE' });
  });

  await t.test('concurrent uploads of the same content all succeed and leave one blob', async (t) => {
    const { store, listStored } = await subject.create(t);
    const bytes = randomBytes(200_000);
    const digests = await Promise.all(Array.from({ length: 5 }, () => store.put(chunked(bytes, 8192), { maxLength: bytes.length })));
    t.same(new Set(digests.map((digest) => digest.sha256)), new Set([sha(bytes, 'sha256')]));
    t.equal((await listStored()).length, 1);
    const found = await store.get(sha(bytes, 'sha256'));
    t.ok(found && (await collect(found.body)).equals(bytes));
  });

  await t.test('a 20 MiB upload streams through, reporting progress, and reads back', async (t) => {
    const { store, listStored } = await subject.create(t);
    const total = 20 * MiB;
    const sha256 = createHash('sha256');
    const sha512 = createHash('sha512');
    let tail = Buffer.alloc(0);
    async function* generate(): AsyncGenerator<Uint8Array> {
      for (let sent = 0; sent < total; sent += 64 * 1024) {
        const chunk = randomBytes(64 * 1024);
        sha256.update(chunk);
        sha512.update(chunk);
        tail = chunk;
        yield chunk;
      }
    }
    const progress: number[] = [];
    const digest = await store.put(generate(), { maxLength: total, onProgress: (bytes) => progress.push(bytes) });
    t.same(digest, { sha256: sha256.digest('hex'), sha512: sha512.digest('hex'), length: total });
    t.equal(progress.at(-1), total, 'progress ends at the total');
    t.ok(progress.every((value, index) => index === 0 || value > (progress[index - 1] ?? 0)), 'progress only grows');
    t.equal((await listStored()).length, 1, 'no temporary object or unfinished upload is left');
    const end = await store.get(digest.sha256, { start: total - tail.length });
    t.ok(end && (await collect(end.body)).equals(tail), 'the last chunk reads back by range');
  });

  if (!subject.presign) return;

  await t.test('a presigned URL downloads the blob with plain fetch, whole and by Range', async (t) => {
    const { store } = await subject.create(t);
    const bytes = randomBytes(5000);
    const { sha256 } = await store.put(chunked(bytes, 1000), { maxLength: bytes.length });
    const url = await store.presignGet?.(sha256, { expiresInSeconds: 60 });
    t.type(url, 'string');
    const whole = await fetch(url ?? '');
    t.equal(whole.status, 200);
    t.ok(Buffer.from(await whole.arrayBuffer()).equals(bytes));
    const partial = await fetch(url ?? '', { headers: { Range: 'bytes=4990-' } });
    t.equal(partial.status, 206);
    t.equal(partial.headers.get('content-range'), `bytes 4990-4999/${bytes.length}`);
    t.ok(Buffer.from(await partial.arrayBuffer()).equals(bytes.subarray(4990)));
  });
}

function sha(bytes: Buffer, algorithm: 'sha256' | 'sha512'): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function collect(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
