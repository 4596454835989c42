// Uploads arriving as real HTTP requests (the way the artifact route hands them to the store),
// large enough to go through a hash thread: whole, and cut off half-way by the client.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { FsBlobStore, HasherPool, type BlobDigest } from '../../../server/blobs/index.js';

const MiB = 1024 * 1024;

interface Harness {
  readonly url: string;
  readonly dir: string;
  readonly hashers: HasherPool;
  /** What the store's put() did with the next request. */
  next(): Promise<BlobDigest | Error>;
}

async function serveStore(t: Test): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-http-blobs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const hashers = new HasherPool({ maxWorkers: 1 });
  t.teardown(() => hashers.close());
  const store = new FsBlobStore(dir, { hashers });
  const outcomes: ((outcome: BlobDigest | Error) => void)[] = [];
  const server = createServer((incoming: IncomingMessage, response) => {
    const report = outcomes.shift();
    store.put(incoming, { maxLength: 64 * MiB }).then(
      (digest) => {
        report?.(digest);
        response.writeHead(201).end();
      },
      (error: Error) => {
        report?.(error);
        response.destroy();
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    dir,
    hashers,
    next: () => new Promise((resolve) => outcomes.push(resolve)),
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

t.test('a streamed HTTP upload is stored with both hashes', async (t) => {
  const harness = await serveStore(t);
  const bytes = randomBytes(12 * MiB + 5);
  const outcome = harness.next();
  const client = request(harness.url, { method: 'PUT', headers: { 'content-length': String(bytes.length) } });
  client.end(bytes);
  const [response] = (await once(client, 'response')) as [IncomingMessage];
  response.resume();
  t.equal(response.statusCode, 201);
  t.same(await outcome, {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sha512: createHash('sha512').update(bytes).digest('hex'),
    length: bytes.length,
  });
  t.equal(harness.hashers.threads, 1, 'hashed on the thread');
  t.equal(harness.hashers.jobs, 0);
});

t.test('when the client goes away half-way, the upload fails as a source failure, leaves no file and frees its hash job', async (t) => {
  const harness = await serveStore(t);
  const outcome = harness.next();
  const client = request(harness.url, { method: 'PUT', headers: { 'content-length': String(32 * MiB) } });
  client.on('error', () => undefined); // the connection is ours to break
  client.write(randomBytes(6 * MiB), () => client.destroy());
  const error = await outcome;
  t.type(error, Error);
  t.equal((error as Error & { code?: string }).code, 'STW_BLOB_SOURCE_FAILED');
  t.same(filesUnder(harness.dir), [], 'no blob and no .part file');
  t.equal(harness.hashers.jobs, 0, 'the job on the hash thread was released');
});
