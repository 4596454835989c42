/**
 * S3 endpoints for tests.
 *
 * - `startS3rver(t)`: s3rver (a fake S3 in Node) in this process on 127.0.0.1 and a random
 *   port, with one bucket, closed when `t` ends. Always available.
 * - `radosgwSettings()` + `useRadosgwBucket(t, settings)`: a real Ceph radosgw named by
 *   `STEWARD_TEST_S3_ENDPOINT`, `STEWARD_TEST_S3_ACCESS_KEY`, `STEWARD_TEST_S3_SECRET_KEY`
 *   (and optionally `STEWARD_TEST_S3_REGION`), as printed by `.ci/start-radosgw.sh`; each test
 *   gets a new bucket, emptied and deleted when it ends.
 *
 * @example
 * const target = await startS3rver(t);
 * const blobs = new S3BlobStore({ ...target.storeOptions, prefix: 'case-1/' });
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { Test } from 'tap';
import { s3ClientConfig, type S3BlobStoreOptions } from '../../server/blobs/index.js';

export interface S3Target {
  /** `s3rver` or `radosgw`. */
  readonly kind: 's3rver' | 'radosgw';
  readonly endpoint: string;
  readonly bucket: string;
  /** Options for `new S3BlobStore(...)` (add a `prefix`). */
  readonly storeOptions: S3BlobStoreOptions;
  /** A client with the same settings, for looking behind the store's back. */
  readonly client: S3Client;
  /** Whether the server implements ListMultipartUploads and UploadPartCopy (s3rver does not). */
  readonly multipartExtras: boolean;
}

export interface RadosgwSettings {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver ships no types; it is CommonJS.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

const REGION = 'us-east-1';

export async function startS3rver(t: Test): Promise<S3Target> {
  const directory = mkdtempSync(join(tmpdir(), 'steward-s3rver-'));
  const bucket = 'steward-test';
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's fixed credentials
  const storeOptions: S3BlobStoreOptions = { bucket, region: REGION, endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } };
  const client = new S3Client(s3ClientConfig(storeOptions, endpoint));
  t.teardown(async () => {
    client.destroy();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });
  return { kind: 's3rver', endpoint, bucket, storeOptions, client, multipartExtras: false };
}

/** The radosgw named by the environment, or undefined when `STEWARD_TEST_S3_ENDPOINT` is unset. */
export function radosgwSettings(env: NodeJS.ProcessEnv = process.env): RadosgwSettings | undefined {
  const endpoint = env['STEWARD_TEST_S3_ENDPOINT'];
  if (!endpoint) return undefined;
  return {
    endpoint,
    accessKeyId: env['STEWARD_TEST_S3_ACCESS_KEY'] ?? '',
    secretAccessKey: env['STEWARD_TEST_S3_SECRET_KEY'] ?? '',
    region: env['STEWARD_TEST_S3_REGION'] ?? REGION,
  };
}

export async function useRadosgwBucket(t: Test, settings: RadosgwSettings): Promise<S3Target> {
  const bucket = `steward-test-${randomBytes(6).toString('hex')}`;
  const storeOptions: S3BlobStoreOptions = {
    bucket,
    region: settings.region,
    endpoint: settings.endpoint,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
  };
  const client = new S3Client(s3ClientConfig(storeOptions, settings.endpoint));
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const target: S3Target = { kind: 'radosgw', endpoint: settings.endpoint, bucket, storeOptions, client, multipartExtras: true };
  t.teardown(async () => {
    for (const upload of await listUploads(target, '')) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.key, UploadId: upload.uploadId }));
    }
    for (const key of await listObjectKeys(target, '')) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    client.destroy();
  });
  return target;
}

/** Every object key under `prefix`, plus `multipart:<key>` for each unfinished multipart upload. */
export async function listStoredUnder(target: S3Target, prefix: string): Promise<string[]> {
  const objects = await listObjectKeys(target, prefix);
  const uploads = target.multipartExtras ? (await listUploads(target, prefix)).map((upload) => `multipart:${upload.key}`) : [];
  return [...objects, ...uploads].sort();
}

async function listObjectKeys(target: S3Target, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await target.client.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

async function listUploads(target: S3Target, prefix: string): Promise<{ key: string; uploadId: string }[]> {
  const page = await target.client.send(new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: prefix }));
  return (page.Uploads ?? []).flatMap((upload) => (upload.Key && upload.UploadId ? [{ key: upload.Key, uploadId: upload.UploadId }] : []));
}

/**
 * Records the name of every command `client` sends, to check how a store talks to S3.
 *
 * @example
 * const sent = recordCommands(client);
 * await store.put(source, { maxLength });
 * t.ok(sent.includes('CreateMultipartUploadCommand'));
 */
export function recordCommands(client: S3Client): string[] {
  const names: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      names.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'stewardRecordCommands' },
  );
  return names;
}

/** A client with the target's settings (its own instance, so middleware stays local). */
export function newClient(target: S3Target, overrides: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({ ...s3ClientConfig(target.storeOptions, target.endpoint), ...overrides });
}
