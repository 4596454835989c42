import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { StorageError } from '../db/storage-error.js';
import { assertBlobKey } from './blob-key.js';
import type { BlobDigest, BlobPresignOptions, BlobPutOptions, BlobRange, BlobReadResult, BlobSource, BlobStat, BlobStore } from './blob-store.js';
import { assertRange } from './byte-range.js';
import { HasherPool } from './hasher-pool.js';
import { MeteredSource, uploadHashers } from './metered-source.js';
import { assertPutOptions } from './put-options.js';
import { copyObject } from './s3-copy.js';
import { defaultS3BlobStoreOptions, s3ClientConfig, type S3BlobStoreOptions } from './s3-options.js';
import { isS3InvalidRange, isS3NotFound, s3Call } from './s3-errors.js';
import { checkRangeAnswer, firstBytes } from './s3-range.js';

/**
 * Blobs in an S3 bucket (AWS, Ceph RGW, MinIO, ...) under `<prefix>sha256/<sha256>`.
 *
 * `put` streams the upload to a temporary key `<prefix>uploads/<uuid>` with lib-storage's
 * `Upload` (multipart above one part, aborted on failure) while hashing it, then copies it
 * server-side to its content-addressed key and deletes the temporary object. The final key
 * therefore only ever holds a complete, verified blob. Copies above 5 GiB (S3's CopyObject
 * limit) go part by part with UploadPartCopy. Give the bucket lifecycle rules that expire
 * `<prefix>uploads/` after a day and abort incomplete multipart uploads, for servers that die
 * mid-upload.
 *
 * @example
 * const blobs = new S3BlobStore({ bucket: 'steward', region: 'eu-west-1' });
 * const url = await blobs.presignGet(sha256, { expiresInSeconds: 300 });
 */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly #client: S3Client;
  readonly #presignClient: S3Client;
  readonly #options: typeof defaultS3BlobStoreOptions;
  /** Copies to a final key in progress in this process, by key. */
  readonly #publishing = new Map<string, Promise<void>>();
  readonly #hashers: HasherPool;
  readonly #ownsHashers: boolean;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.#hashers = options.hashers ?? new HasherPool();
    this.#ownsHashers = options.hashers === undefined;
    this.#options = { ...defaultS3BlobStoreOptions, ...definedOnly(options) };
    this.#client = options.client ?? new S3Client(s3ClientConfig(options, options.endpoint));
    this.#presignClient = options.presignEndpoint === undefined ? this.#client : new S3Client(s3ClientConfig(options, options.presignEndpoint));
  }

  /** The object key of a blob. */
  keyOf(sha256: string): string {
    return `${this.prefix}sha256/${assertBlobKey(sha256)}`;
  }

  async put(source: BlobSource, options: BlobPutOptions): Promise<BlobDigest> {
    assertPutOptions(options);
    const meter = new MeteredSource(source, options, uploadHashers(this.#hashers));
    try {
      return await this.#putMetered(meter, options);
    } finally {
      meter.release();
    }
  }

  async #putMetered(meter: MeteredSource, options: BlobPutOptions): Promise<BlobDigest> {
    const tmpKey = `${this.prefix}uploads/${randomUUID()}`;
    const body = meter.readable();
    const upload = new Upload({
      client: this.#client,
      params: { Bucket: this.bucket, Key: tmpKey, Body: body, ContentType: 'application/octet-stream' },
      partSize: this.#partSizeFor(options.maxLength),
      queueSize: this.#options.queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      body.destroy(); // releases the meter (never the caller's source)
      // Nothing was stored: a multipart upload is aborted by lib-storage, and a single-part PUT
      // is only sent once the whole body was read. The meter's own failure (too large, source
      // failed) wins over however the SDK reported it.
      throw meter.failure ?? new StorageError('STW_BLOB_BACKEND', 'S3 upload failed', { cause: error, details: { operation: 'Upload', key: tmpKey } });
    }
    let failure: unknown;
    let digest: BlobDigest | undefined;
    try {
      digest = await meter.verify();
      await this.#publish(tmpKey, digest);
    } catch (error) {
      failure = error;
    }
    try {
      await s3Call('DeleteObject', tmpKey, () => this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: tmpKey })));
    } catch (cleanupError) {
      if (failure === undefined) throw cleanupError;
      if (failure instanceof StorageError && failure.details) failure.details['cleanupError'] = String(cleanupError);
    }
    if (failure !== undefined || digest === undefined) throw failure;
    return digest;
  }

  async get(sha256: string, range?: BlobRange): Promise<BlobReadResult | undefined> {
    const key = this.keyOf(sha256);
    if (range !== undefined) assertRange(range);
    let body: Readable;
    let contentLength: number;
    let contentRange: string | undefined;
    try {
      const header = range === undefined ? undefined : `bytes=${range.start}-${range.end ?? ''}`;
      const response = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: header }));
      if (!(response.Body instanceof Readable)) throw new TypeError('the S3 client did not return a Node stream');
      body = response.Body;
      contentLength = response.ContentLength ?? 0;
      contentRange = response.ContentRange;
    } catch (error) {
      if (isS3NotFound(error)) return undefined;
      if (isS3InvalidRange(error)) {
        throw new StorageError('STW_BLOB_RANGE_NOT_SATISFIABLE', 'the range starts past the end of the blob', { cause: error, details: { ...range } });
      }
      throw new StorageError('STW_BLOB_BACKEND', 'S3 GetObject failed', { cause: error, details: { operation: 'GetObject', key } });
    }
    if (range === undefined) return { body, length: contentLength, totalLength: contentLength };
    try {
      const { totalLength, length } = checkRangeAnswer(range, contentRange, key);
      return { body: length < contentLength ? firstBytes(body, length) : body, length, totalLength };
    } catch (error) {
      body.destroy();
      throw error;
    }
  }

  async stat(sha256: string): Promise<BlobStat | undefined> {
    return this.#head(this.keyOf(sha256));
  }

  async delete(sha256: string): Promise<void> {
    const key = this.keyOf(sha256);
    await s3Call('DeleteObject', key, () => this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  /** Ends the hash threads the store started (the S3 client is the caller's or lives on). */
  async close(): Promise<void> {
    if (this.#ownsHashers) await this.#hashers.close();
  }

  /** A presigned GET (SigV4 query authentication); `Range` may be sent with it. */
  async presignGet(sha256: string, options: BlobPresignOptions): Promise<string> {
    const key = this.keyOf(sha256);
    return s3Call('presign GetObject', key, () =>
      getSignedUrl(this.#presignClient, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: options.expiresInSeconds }),
    );
  }

  /**
   * Copies a verified upload to its content-addressed key, unless an identical blob is there.
   * Identical uploads racing in this process share one copy (the others wait for it); across
   * replicas S3 replaces objects atomically, and when a copy fails but a concurrent put of
   * the same content has meanwhile stored the blob, that is success too.
   */
  async #publish(tmpKey: string, digest: BlobDigest): Promise<void> {
    const key = this.keyOf(digest.sha256);
    const running = this.#publishing.get(key);
    if (running !== undefined && (await running.then(() => true, () => false))) return;
    const attempt = this.#copyUnlessPresent(tmpKey, key, digest.length);
    this.#publishing.set(key, attempt);
    try {
      await attempt;
    } finally {
      if (this.#publishing.get(key) === attempt) this.#publishing.delete(key);
    }
  }

  async #copyUnlessPresent(tmpKey: string, key: string, length: number): Promise<void> {
    if ((await this.#head(key))?.length === length) return;
    try {
      await copyObject(this.#client, {
        bucket: this.bucket,
        from: tmpKey,
        to: key,
        length,
        multipartThreshold: this.#options.multipartCopyThreshold,
        partSize: this.#options.copyPartSize,
      });
    } catch (error) {
      if ((await this.#head(key).catch(() => undefined))?.length === length) return;
      throw error;
    }
  }

  async #head(key: string): Promise<BlobStat | undefined> {
    try {
      const response = await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { length: response.ContentLength ?? 0 };
    } catch (error) {
      if (isS3NotFound(error)) return undefined;
      throw new StorageError('STW_BLOB_BACKEND', 'S3 HeadObject failed', { cause: error, details: { operation: 'HeadObject', key } });
    }
  }

  /** The configured part size, raised when needed to stay under S3's 10,000 parts. */
  #partSizeFor(maxLength: number): number {
    return Math.max(this.#options.partSize, Math.ceil(maxLength / 9_000));
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

