import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import t from 'tap';
import { S3BlobStore, s3ClientConfig, StorageError } from '../../../server/blobs/index.js';
import { listStoredUnder, newClient, recordCommands, startS3rver } from '../../helpers/s3-servers.js';

const MiB = 1024 * 1024;

function prefix(): string {
  return `case-${randomBytes(4).toString('hex')}/`;
}

function source(bytes: Buffer, chunk = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += chunk) yield bytes.subarray(offset, offset + chunk);
    })(),
  );
}

t.test('every client is path-style and sends and checks checksums only when S3 requires them', async (t) => {
  const config = s3ClientConfig({ bucket: 'b', region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' } }, 'http://127.0.0.1:7480');
  t.equal(config.forcePathStyle, true);
  t.equal(config.requestChecksumCalculation, 'WHEN_REQUIRED');
  t.equal(config.responseChecksumValidation, 'WHEN_REQUIRED');
  t.equal(config.endpoint, 'http://127.0.0.1:7480');
});

t.test('on s3rver', async (t) => {
  const target = await startS3rver(t);

  await t.test('a 20 MiB upload goes up in parts to a temporary key, then is copied to <prefix>sha256/<hash>', async (t) => {
    const client = newClient(target);
    t.teardown(() => client.destroy());
    const sent = recordCommands(client);
    const keyPrefix = prefix();
    const store = new S3BlobStore({ ...target.storeOptions, prefix: keyPrefix, client });
    const bytes = randomBytes(20 * MiB);
    const { sha256 } = await store.put(source(bytes), { maxLength: bytes.length });
    t.equal(sent.filter((name) => name === 'UploadPartCommand').length, 3, '8 MiB parts');
    t.same(
      sent.filter((name) => name !== 'UploadPartCommand'),
      ['CreateMultipartUploadCommand', 'CompleteMultipartUploadCommand', 'HeadObjectCommand', 'CopyObjectCommand', 'DeleteObjectCommand'],
    );
    t.equal(store.keyOf(sha256), `${keyPrefix}sha256/${sha256}`);
    t.same(await listStoredUnder(target, keyPrefix), [`${keyPrefix}sha256/${sha256}`]);
    const object = await target.client.send(new GetObjectCommand({ Bucket: target.bucket, Key: store.keyOf(sha256) }));
    const stored = Buffer.from(await (object.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())));
    t.equal(createHash('sha256').update(stored).digest('hex'), sha256, 'the object holds the bytes, not aws-chunked framing');
  });

  await t.test('a small upload is one PUT, and storing the same content again skips the copy', async (t) => {
    const client = newClient(target);
    t.teardown(() => client.destroy());
    const sent = recordCommands(client);
    const store = new S3BlobStore({ ...target.storeOptions, prefix: prefix(), client });
    const bytes = randomBytes(1000);
    await store.put(source(bytes), { maxLength: 1000 });
    t.same(sent.splice(0), ['PutObjectCommand', 'HeadObjectCommand', 'CopyObjectCommand', 'DeleteObjectCommand']);
    await store.put(source(bytes), { maxLength: 1000 });
    t.same(sent, ['PutObjectCommand', 'HeadObjectCommand', 'DeleteObjectCommand'], 'already there: no copy');
  });

  await t.test('identical uploads racing in one process share one server-side copy', async (t) => {
    const client = newClient(target);
    t.teardown(() => client.destroy());
    const sent = recordCommands(client);
    const keyPrefix = prefix();
    const store = new S3BlobStore({ ...target.storeOptions, prefix: keyPrefix, client });
    const bytes = randomBytes(100_000);
    const digests = await Promise.all(Array.from({ length: 5 }, () => store.put(source(bytes), { maxLength: bytes.length })));
    t.equal(new Set(digests.map((digest) => digest.sha256)).size, 1);
    t.equal(sent.filter((name) => name === 'CopyObjectCommand').length, 1);
    t.equal(sent.filter((name) => name === 'DeleteObjectCommand').length, 5, 'every temporary object removed');
    t.same(await listStoredUnder(target, keyPrefix), [store.keyOf(digests[0]?.sha256 ?? '')]);
  });

  await t.test('when the server-side copy fails, the put fails as a backend error and nothing is left', async (t) => {
    // s3rver does not implement UploadPartCopy, which a low multipart-copy threshold forces.
    const keyPrefix = prefix();
    const store = new S3BlobStore({ ...target.storeOptions, prefix: keyPrefix, multipartCopyThreshold: 5 * MiB, copyPartSize: 5 * MiB });
    const error = await store.put(source(randomBytes(6 * MiB)), { maxLength: 6 * MiB }).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.type(error, StorageError);
    t.equal((error as StorageError).code, 'STW_BLOB_BACKEND');
    t.equal((error as StorageError).details?.['operation'], 'UploadPartCopy');
    t.same(await listStoredUnder(target, keyPrefix), []);
  });

  await t.test('presigned URLs carry the lifetime and, when configured, the public endpoint', async (t) => {
    const store = new S3BlobStore({ ...target.storeOptions, prefix: prefix(), presignEndpoint: 'https://downloads.example.net' });
    const sha256 = 'ab'.repeat(32);
    const url = new URL(await store.presignGet(sha256, { expiresInSeconds: 300 }));
    t.equal(url.origin, 'https://downloads.example.net');
    t.equal(url.pathname, `/${target.bucket}/${store.keyOf(sha256)}`);
    t.equal(url.searchParams.get('X-Amz-Expires'), '300');
    t.equal(url.searchParams.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
  });

  await t.test('when the bucket does not exist, reads fail as backend errors rather than "not found"', async (t) => {
    const store = new S3BlobStore({ ...target.storeOptions, bucket: 'no-such-bucket' });
    await t.rejects(store.get('ab'.repeat(32)), { constructor: StorageError, code: 'STW_BLOB_BACKEND' });
  });
});

t.test('when the store cannot be reached, every operation fails as a backend error', async (t) => {
  const options = { bucket: 'b', region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'a', secretAccessKey: 's' } };
  const client = new S3Client({ ...s3ClientConfig(options, options.endpoint), maxAttempts: 1 });
  t.teardown(() => client.destroy());
  const store = new S3BlobStore({ ...options, client });
  const sha256 = 'cd'.repeat(32);
  await t.rejects(store.put(source(Buffer.from('x')), { maxLength: 1 }), { code: 'STW_BLOB_BACKEND' });
  await t.rejects(store.get(sha256), { code: 'STW_BLOB_BACKEND' });
  await t.rejects(store.stat(sha256), { code: 'STW_BLOB_BACKEND' });
  await t.rejects(store.delete(sha256), { code: 'STW_BLOB_BACKEND' });
});
