import { createHash } from 'node:crypto';
import t from 'tap';
import { StorageError } from '../../../server/blobs/index.js';
import { MeteredSource } from '../../../server/blobs/metered-source.js';

async function* from(...chunks: (Uint8Array | string)[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk as Uint8Array;
}

async function drain(meter: MeteredSource): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of meter.chunks()) out.push(chunk);
  return Buffer.concat(out);
}

t.test('an upload of exactly maxLength bytes passes, and is hashed and counted', async (t) => {
  const meter = new MeteredSource(from(Buffer.from('abc'), Buffer.from('de')), { maxLength: 5 });
  t.same(await drain(meter), Buffer.from('abcde'));
  t.same(await meter.verify(), {
    sha256: createHash('sha256').update('abcde').digest('hex'),
    sha512: createHash('sha512').update('abcde').digest('hex'),
    length: 5,
  });
});

t.test('one byte over maxLength fails as too large, and the failure is remembered', async (t) => {
  const meter = new MeteredSource(from(Buffer.from('abc'), Buffer.from('def')), { maxLength: 5 });
  await t.rejects(drain(meter), { constructor: StorageError, code: 'STW_BLOB_TOO_LARGE' });
  t.equal(meter.failure?.code, 'STW_BLOB_TOO_LARGE');
});

t.test('the chunk that crosses the limit is not passed on', async (t) => {
  const meter = new MeteredSource(from(Buffer.from('abc'), Buffer.from('def')), { maxLength: 5 });
  const seen: Buffer[] = [];
  await t.rejects(
    (async () => {
      for await (const chunk of meter.chunks()) seen.push(chunk);
    })(),
  );
  t.same(seen, [Buffer.from('abc')]);
});

t.test('progress reports the bytes received after each chunk', async (t) => {
  const progress: number[] = [];
  await drain(new MeteredSource(from(Buffer.alloc(3), Buffer.alloc(4)), { maxLength: 10, onProgress: (n) => progress.push(n) }));
  t.same(progress, [3, 7]);
});

t.test('string chunks (a stream with an encoding) are hashed as UTF-8', async (t) => {
  const meter = new MeteredSource(from('é'), { maxLength: 2 });
  await drain(meter);
  t.equal((await meter.digest()).length, 2);
});

t.test('a different expected hash fails verification with both hashes in the details', async (t) => {
  const expectedSha256 = '00'.repeat(32);
  const meter = new MeteredSource(from(Buffer.from('x')), { maxLength: 1, expectedSha256 });
  await drain(meter);
  const error = (await meter.verify().catch((e: unknown) => e)) as StorageError;
  t.equal(error.code, 'STW_BLOB_HASH_MISMATCH');
  t.equal(error.details?.['expectedSha256'], expectedSha256);
  t.equal(error.details?.['actualSha256'], createHash('sha256').update('x').digest('hex'));
});

t.test('a failing source becomes STW_BLOB_SOURCE_FAILED with the original as cause', async (t) => {
  const original = new Error('ECONNRESET');
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield Buffer.from('a');
    throw original;
  }
  const meter = new MeteredSource(failing(), { maxLength: 10 });
  await t.rejects(drain(meter), { code: 'STW_BLOB_SOURCE_FAILED', cause: original });
});

t.test('as a Readable, a too-large upload errors the stream with the typed error', async (t) => {
  const readable = new MeteredSource(from(Buffer.alloc(8)), { maxLength: 4 }).readable();
  await t.rejects(
    (async () => {
      for await (const chunk of readable) void chunk;
    })(),
    { code: 'STW_BLOB_TOO_LARGE' },
  );
});
