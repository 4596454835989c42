import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { HasherPool, StorageError } from '../../../server/blobs/index.js';
import type { Hasher } from '../../../server/blobs/hasher.js';

const KiB = 1024;

function sha512(bytes: Buffer): string {
  return createHash('sha512').update(bytes).digest('hex');
}

/** Feeds `bytes` in `size`-byte chunks, waiting whenever the hasher asks to. */
async function feed(hasher: Hasher, bytes: Buffer, size: number): Promise<void> {
  for (let offset = 0; offset < bytes.length; offset += size) await hasher.update(bytes.subarray(offset, offset + size));
}

t.test('a hash on a worker equals the same hash computed here, whatever the chunking', async (t) => {
  const pool = new HasherPool({ maxWorkers: 1, slabBytes: 64 * KiB, slabsPerJob: 2 });
  t.teardown(() => pool.close());
  const bytes = randomBytes(1024 * KiB + 123);
  const cases: [string, number][] = [
    ['chunks smaller than a slab', 7_000],
    ['chunks of exactly a slab', 64 * KiB],
    ['chunks larger than all the slabs together', 300 * KiB],
    ['one chunk', bytes.length],
  ];
  for (const [name, size] of cases) {
    const hasher = pool.lease(['sha512']);
    await feed(hasher, bytes, size);
    t.same(await hasher.digest(), { sha512: sha512(bytes) }, name);
    hasher.release();
  }
  const empty = pool.lease(['sha256']);
  t.same(await empty.digest(), { sha256: createHash('sha256').digest('hex') }, 'nothing hashed: the empty digest');
  empty.release();
  t.equal(pool.threads, 1, 'one thread served every job');
  t.equal(pool.jobs, 0, 'no job is left behind');
});

t.test('one job computes several hashes of the same bytes, each equal to its own computed here', async (t) => {
  const pool = new HasherPool({ maxWorkers: 1, slabBytes: 32 * KiB, slabsPerJob: 2 });
  t.teardown(() => pool.close());
  const bytes = randomBytes(500 * KiB + 1);
  const hasher = pool.lease(['sha256', 'sha512']);
  await feed(hasher, bytes, 10_000);
  t.same(await hasher.digest(), { sha256: createHash('sha256').update(bytes).digest('hex'), sha512: sha512(bytes) });
  hasher.release();
});

t.test('a stream that fits in one slab is hashed here and starts no thread', async (t) => {
  const pool = new HasherPool({ maxWorkers: 1, slabBytes: 64 * KiB });
  t.teardown(() => pool.close());
  const bytes = randomBytes(64 * KiB - 1);
  const hasher = pool.lease(['sha256', 'sha512']);
  await feed(hasher, bytes, 1000);
  t.same(await hasher.digest(), { sha256: createHash('sha256').update(bytes).digest('hex'), sha512: sha512(bytes) });
  t.equal(pool.threads, 0);
});

t.test('when the pool closes before a job reached a thread, the job goes on hashing here', async (t) => {
  const pool = new HasherPool({ maxWorkers: 1, slabBytes: 8 * KiB });
  const hasher = pool.lease(['sha512']);
  const bytes = randomBytes(50 * KiB);
  await hasher.update(bytes.subarray(0, 4 * KiB));
  await pool.close();
  await feed(hasher, bytes.subarray(4 * KiB), 3_000);
  t.same(await hasher.digest(), { sha512: sha512(bytes) });
  t.equal(pool.threads, 0);
});

t.test('when every slab is at the worker, update asks the caller to wait', async (t) => {
  const pool = new HasherPool({ maxWorkers: 1, slabBytes: 16 * KiB, slabsPerJob: 1 });
  t.teardown(() => pool.close());
  const hasher = pool.lease(['sha512']);
  const bytes = randomBytes(40 * KiB);
  const first = hasher.update(bytes);
  t.type(first, Promise, 'the one slab left with the first 16 KiB; the rest waits for it to come back');
  await first;
  t.same(await hasher.digest(), { sha512: sha512(bytes) }, 'and nothing was lost or reordered');
  hasher.release();
});

t.test('interleaved jobs on one thread keep their bytes apart', async (t) => {
  const pool = new HasherPool({ maxWorkers: 1, slabBytes: 8 * KiB, slabsPerJob: 2 });
  t.teardown(() => pool.close());
  const a = randomBytes(100 * KiB);
  const b = randomBytes(70 * KiB);
  const [hasherA, hasherB] = [pool.lease(['sha512']), pool.lease(['sha512'])];
  await Promise.all([feed(hasherA, a, 5_000), feed(hasherB, b, 3_000)]);
  t.equal(pool.jobs, 2);
  t.same(await Promise.all([hasherA.digest(), hasherB.digest()]), [{ sha512: sha512(a) }, { sha512: sha512(b) }]);
  t.equal(pool.threads, 1);
  t.equal(pool.jobs, 0, 'a digested job leaves the thread');
});

t.test('a released job is dropped by the thread, which goes on serving others', async (t) => {
  const pool = new HasherPool({ maxWorkers: 1, slabBytes: 8 * KiB, slabsPerJob: 2 });
  t.teardown(() => pool.close());
  const abandoned = pool.lease(['sha512']);
  await feed(abandoned, randomBytes(50 * KiB), 4_000);
  abandoned.release();
  abandoned.release();
  t.equal(pool.jobs, 0, 'release frees the job at once, slabs still in flight or not');
  const next = pool.lease(['sha512']);
  const bytes = randomBytes(30 * KiB);
  await feed(next, bytes, 4_000);
  t.same(await next.digest(), { sha512: sha512(bytes) });
  next.release();
});

t.test('when the pool closes under a running job, the job fails as a backend error instead of hanging', async (t) => {
  const pool = new HasherPool({ maxWorkers: 1, slabBytes: 8 * KiB, slabsPerJob: 1 });
  const hasher = pool.lease(['sha512']);
  await feed(hasher, randomBytes(20 * KiB), 8 * KiB);
  await pool.close();
  const error = await hasher.digest().then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(error, StorageError);
  t.equal((error as StorageError).code, 'STW_BLOB_BACKEND');
  t.equal(pool.threads, 0);
  hasher.release();
});

t.test('after close, hashing goes on here on the calling thread', async (t) => {
  const pool = new HasherPool({ maxWorkers: 1 });
  await pool.close();
  const hasher = pool.lease(['sha512']);
  const bytes = randomBytes(10 * KiB);
  t.equal(hasher.update(bytes), undefined, 'never waits');
  t.same(await hasher.digest(), { sha512: sha512(bytes) });
  t.equal(pool.threads, 0, 'no thread was started');
});

t.test('with maxWorkers 0 no thread is ever started', async (t) => {
  const pool = new HasherPool({ maxWorkers: 0 });
  const hasher = pool.lease(['sha256']);
  hasher.update(Buffer.from('abc'));
  t.same(await hasher.digest(), { sha256: createHash('sha256').update('abc').digest('hex') });
  t.equal(pool.threads, 0);
});

t.test('concurrent jobs spread over up to maxWorkers threads', async (t) => {
  const pool = new HasherPool({ maxWorkers: 2, slabBytes: 8 * KiB, slabsPerJob: 2 });
  t.teardown(() => pool.close());
  const hashers = [pool.lease(['sha512']), pool.lease(['sha512']), pool.lease(['sha512'])];
  const inputs = hashers.map(() => randomBytes(20 * KiB));
  await Promise.all(hashers.map((hasher, index) => feed(hasher, inputs[index] as Buffer, 6_000)));
  t.equal(pool.threads, 2, 'a second thread for the second job, the third job shares');
  t.equal(pool.jobs, 3);
  t.same(await Promise.all(hashers.map((hasher) => hasher.digest())), inputs.map((input) => ({ sha512: sha512(input) })));
});

// Regression: a pool nobody closed kept its thread alive, so a test file that used a blob store
// never exited and timed out. Idle threads must not hold the process.
t.test('a pool that is never closed does not keep the process alive once its jobs are done', async (t) => {
  const script = fileURLToPath(new URL('./fixtures/unclosed-pool.ts', import.meta.url));
  const child = spawnSync(process.execPath, [...process.execArgv, script], { encoding: 'utf8', timeout: 60_000 });
  t.equal(child.error, undefined, 'the process exited by itself (no timeout)');
  t.equal(child.status, 0, child.stderr);
  t.equal(child.stdout.trim(), createHash('sha512').update('unclosed').digest('hex'));
});
