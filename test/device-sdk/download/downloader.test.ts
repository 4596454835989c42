import t, { type Test } from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactDownloader, type ExpectedArtifact } from '../../../device-sdk/download/index.js';
import { DurableFs, type DurableStep } from '../../../device-sdk/durable/durable-fs.js';
import { HttpFetcher } from '../../../device-sdk/fetch/http-fetcher.js';
import { DeviceError } from '../../../device-sdk/errors.js';
import type { Fetcher } from '../../../device-sdk/fetch/fetcher.js';
import { startByteServer, type Behaviour } from '../fetch/fixtures/byte-server.js';
import { watchingFetcher } from '../fetch/fixtures/watching-fetcher.js';

const content = randomBytes(200 * 1024);
const expected: ExpectedArtifact = {
  length: content.byteLength,
  hashes: {
    sha256: createHash('sha256').update(content).digest('hex'),
    sha512: createHash('sha512').update(content).digest('hex'),
  },
};

async function setup(t: Test, script: Behaviour[] = [], body: Uint8Array = content) {
  const server = await startByteServer(body, script);
  t.teardown(() => server.close());
  const dir = t.testdir({});
  const steps: DurableStep[] = [];
  const downloader = new ArtifactDownloader(new HttpFetcher(), { fs: new DurableFs({ onStep: (step) => steps.push(step) }) });
  return { server, destination: join(dir, 'artifact.bin'), downloader, steps };
}

function codeOf(error: unknown): string | undefined {
  return error instanceof DeviceError ? error.code : undefined;
}

t.test('when nothing is on disk, the artifact is fetched, verified and renamed into place', async (t) => {
  const { server, destination, downloader, steps } = await setup(t);
  const result = await downloader.download({ url: server.url, expected, destination });
  t.match(result, { outcome: 'downloaded', resumedFrom: 0, fetchedBytes: content.byteLength, attempts: 1 });
  t.same(await readFile(destination), content);
  t.notOk(existsSync(`${destination}.partial`), 'no partial left behind');
  t.same(steps.at(-2), { kind: 'rename', path: destination }, 'the rename into place is the last change but the directory fsync');
});

t.test('when the destination already holds the artifact, nothing is fetched', async (t) => {
  const { server, destination, downloader } = await setup(t);
  await writeFile(destination, content);
  const result = await downloader.download({ url: server.url, expected, destination });
  t.equal(result.outcome, 'present');
  t.same(server.ranges, []);
});

t.test('when the destination holds other bytes of the same length, it is replaced', async (t) => {
  const { server, destination, downloader } = await setup(t);
  await writeFile(destination, randomBytes(content.byteLength));
  const result = await downloader.download({ url: server.url, expected, destination });
  t.equal(result.outcome, 'downloaded');
  t.same(await readFile(destination), content);
});

t.test('when the connection is cut mid-way, the next attempt resumes with Range', async (t) => {
  const { server, destination, steps } = await setup(t, [{ kind: 'stall', after: 70_000 }]);
  const fetcher = watchingFetcher(new HttpFetcher(), (read) => {
    if (read >= 70_000) server.cutConnections();
  });
  const downloader = new ArtifactDownloader(fetcher, { fs: new DurableFs({ onStep: (step) => steps.push(step) }) });
  const result = await downloader.download({ url: server.url, expected, destination });
  t.equal(result.attempts, 2);
  t.same(server.ranges, [undefined, 'bytes=70000-']);
  t.equal(result.fetchedBytes, content.byteLength, 'every byte fetched exactly once');
  t.same(await readFile(destination), content);
});

t.test('when the server drops the connection abruptly, the download still completes', async (t) => {
  const { server, destination, downloader } = await setup(t, [{ kind: 'cut', after: 70_000 }]);
  const result = await downloader.download({ url: server.url, expected, destination });
  t.equal(result.attempts, 2);
  t.match(server.ranges[1] ?? 'bytes=0-', /^bytes=\d+-$/, 'the second request resumes from what arrived');
  t.same(await readFile(destination), content);
});

t.test('when an earlier run left a partial, it is re-hashed and the rest is fetched', async (t) => {
  const { server, destination, downloader } = await setup(t);
  await writeFile(`${destination}.partial`, content.subarray(0, 50_000));
  const result = await downloader.download({ url: server.url, expected, destination });
  t.match(result, { resumedFrom: 50_000, fetchedBytes: content.byteLength - 50_000 });
  t.same(server.ranges, ['bytes=50000-']);
  t.same(await readFile(destination), content);
});

t.test('when an earlier partial is corrupt, the mismatch is caught and the artifact fetched from 0', async (t) => {
  const { server, destination, downloader } = await setup(t);
  const damaged = Buffer.from(content.subarray(0, 50_000));
  damaged[1234] = (damaged[1234] ?? 0) ^ 0xff;
  await writeFile(`${destination}.partial`, damaged);
  await downloader.download({ url: server.url, expected, destination });
  t.same(server.ranges, ['bytes=50000-', undefined]);
  t.same(await readFile(destination), content);
});

t.test('when an earlier partial is longer than the artifact, it is dropped', async (t) => {
  const { server, destination, downloader } = await setup(t);
  await writeFile(`${destination}.partial`, Buffer.concat([content, Buffer.from('extra')]));
  await downloader.download({ url: server.url, expected, destination });
  t.same(server.ranges, [undefined]);
  t.same(await readFile(destination), content);
});

t.test('when the server ignores Range on resume, the whole artifact is taken from 0', async (t) => {
  const { server, destination, downloader } = await setup(t, [{ kind: 'ignore-range' }]);
  await writeFile(`${destination}.partial`, content.subarray(0, 50_000));
  const result = await downloader.download({ url: server.url, expected, destination });
  t.equal(result.fetchedBytes, content.byteLength);
  t.same(await readFile(destination), content);
});

t.test('when the served bytes do not match the hashes, TARGET_MISMATCH and nothing is kept', async (t) => {
  const { server, destination, downloader } = await setup(t, [], randomBytes(content.byteLength));
  const error = await downloader.download({ url: server.url, expected, destination }).catch((e: unknown) => e);
  t.equal(codeOf(error), 'STW_DEVICE_TARGET_MISMATCH');
  t.same(
    ((error as DeviceError).details?.mismatches as { algorithm: string }[]).map((m) => m.algorithm).sort(),
    ['sha256', 'sha512'],
  );
  t.notOk(existsSync(destination));
  t.notOk(existsSync(`${destination}.partial`));
});

t.test('when only one of two hashes matches, the download is refused', async (t) => {
  const { server, destination, downloader } = await setup(t);
  const oneWrong = { length: expected.length, hashes: { ...expected.hashes, sha512: '0'.repeat(128) } };
  const error = await downloader.download({ url: server.url, expected: oneWrong, destination }).catch((e: unknown) => e);
  t.equal(codeOf(error), 'STW_DEVICE_TARGET_MISMATCH');
  t.notOk(existsSync(destination));
});

t.test('when the server has a shorter resource, TARGET_MISMATCH for the length', async (t) => {
  const { server, destination, downloader } = await setup(t, [], content.subarray(0, 1000));
  const error = await downloader.download({ url: server.url, expected, destination }).catch((e: unknown) => e);
  t.equal(codeOf(error), 'STW_DEVICE_TARGET_MISMATCH');
  t.equal((error as DeviceError).details?.reason, 'length');
});

t.test('when the server streams past the expected length without declaring it, the cap stops it', async (t) => {
  const { server, destination, downloader } = await setup(t, [{ kind: 'no-length' }], Buffer.concat([content, content]));
  const error = await downloader.download({ url: server.url, expected, destination }).catch((e: unknown) => e);
  t.equal(codeOf(error), 'STW_DEVICE_TOO_LARGE');
  t.notOk(existsSync(`${destination}.partial`));
});

t.test('when every attempt is cut, the partial is kept for a later call', async (t) => {
  const cuts: Behaviour[] = Array.from({ length: 5 }, () => ({ kind: 'cut', after: 10_000 }));
  const { server, destination, downloader } = await setup(t, cuts);
  const error = await downloader.download({ url: server.url, expected, destination }).catch((e: unknown) => e);
  t.equal(codeOf(error), 'STW_DEVICE_FETCH_FAILED');
  t.equal(server.ranges.length, 5, 'maxAttempts fetches');
  const kept = (await stat(`${destination}.partial`)).size;
  const later = await downloader.download({ url: server.url, expected, destination });
  t.equal(later.resumedFrom, kept, 'the next call resumes from what the first one kept');
  t.same(await readFile(destination), content);
});

t.test('when the server answers 404, the download fails at once', async (t) => {
  const { server, destination, downloader } = await setup(t, [{ kind: 'status', status: 404 }]);
  const error = await downloader.download({ url: server.url, expected, destination }).catch((e: unknown) => e);
  t.equal(codeOf(error), 'STW_DEVICE_HTTP_STATUS');
  t.equal(server.ranges.length, 1);
});

t.test('when the server answers 503 once, the download is retried', async (t) => {
  const { server, destination, downloader } = await setup(t, [{ kind: 'status', status: 503 }]);
  const result = await downloader.download({ url: server.url, expected, destination });
  t.equal(result.attempts, 2);
});

t.test('when no hash is given, the request is refused before any fetch', async (t) => {
  const { server, destination, downloader } = await setup(t);
  const error = await downloader.download({ url: server.url, expected: { length: 10, hashes: {} }, destination }).catch((e: unknown) => e);
  t.equal(codeOf(error), 'STW_DEVICE_TARGET_MISMATCH');
  t.equal((error as DeviceError).details?.reason, 'no-hashes');
  t.same(server.ranges, []);
});

t.test('when the artifact is empty, an empty file is verified and put in place', async (t) => {
  const { server, destination, downloader } = await setup(t, [], new Uint8Array(0));
  const empty = { length: 0, hashes: { sha256: createHash('sha256').digest('hex') } };
  const result = await downloader.download({ url: server.url, expected: empty, destination });
  t.equal(result.outcome, 'downloaded');
  t.equal((await readFile(destination)).byteLength, 0);
});

/** A fetcher serving `bytes` in chunks of `chunkBytes`, failing after `failAfter` bytes when given. */
function chunkedFetcher(bytes: Uint8Array, chunkBytes: number, failAfter?: number): Fetcher {
  return {
    fetch: (request) => {
      const start = request.offset ?? 0;
      async function* body(): AsyncGenerator<Uint8Array> {
        for (let at = start; at < bytes.byteLength; at += chunkBytes) {
          if (failAfter !== undefined && at >= failAfter) throw new DeviceError('STW_DEVICE_FETCH_FAILED', 'cut', { details: {} });
          yield bytes.subarray(at, at + chunkBytes);
        }
      }
      return Promise.resolve({ start, totalLength: bytes.byteLength, body: body() });
    },
  };
}

function expectationOf(bytes: Uint8Array): ExpectedArtifact {
  return { length: bytes.byteLength, hashes: { sha256: createHash('sha256').update(bytes).digest('hex'), sha512: createHash('sha512').update(bytes).digest('hex') } };
}

t.test('when a transfer fails part-way, every byte received is on disk and the next attempt resumes after it', async (t) => {
  const big = randomBytes(1300 * 1024);
  const failAfter = 1100 * 1024;
  const destination = join(t.testdir({}), 'cut.bin');
  const first = new ArtifactDownloader(chunkedFetcher(big, 4096, failAfter), { maxAttempts: 1 });
  const error = await first.download({ url: 'mem://cut', expected: expectationOf(big), destination }).catch((e: unknown) => e);
  t.equal(codeOf(error), 'STW_DEVICE_FETCH_FAILED');
  t.same(await readFile(`${destination}.partial`), big.subarray(0, failAfter), 'every byte received before the failure');
  const second = await new ArtifactDownloader(chunkedFetcher(big, 4096)).download({ url: 'mem://cut', expected: expectationOf(big), destination });
  t.equal(second.resumedFrom, failAfter);
  t.same(await readFile(destination), big);
});

t.test('chunks are written as they come (gathered while a write runs), and the artifact is fsynced once before its rename', async (t) => {
  const bytes = randomBytes(5 * 4096 + 7);
  const steps: DurableStep[] = [];
  const downloader = new ArtifactDownloader(chunkedFetcher(bytes, 4096), { fs: new DurableFs({ onStep: (step) => steps.push(step) }) });
  const destination = join(t.testdir({}), 'steps.bin');
  await downloader.download({ url: 'mem://steps', expected: expectationOf(bytes), destination });
  const kinds = steps.map((step) => step.kind);
  const writes = kinds.filter((kind) => kind === 'write').length;
  t.ok(writes >= 1 && writes <= 6, `between one and six writes for six chunks (${writes})`);
  t.same(kinds, ['open', ...Array<string>(writes).fill('write'), 'fsync', 'rename', 'fsync-dir']);
  t.same(await readFile(destination), bytes);
});
