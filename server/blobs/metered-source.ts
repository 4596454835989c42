import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { StorageError } from '../db/storage-error.js';
import type { BlobDigest, BlobPutOptions, BlobSource } from './blob-store.js';

/**
 * Passes an upload through while hashing it (SHA-256 and SHA-512, the hashes TUF target
 * entries carry) and counting it, and stops it one chunk after `maxLength` is exceeded.
 * Pull-based: it reads the next chunk only when the writer asks, so memory stays bounded by
 * what the writer buffers.
 *
 * Failures are StorageErrors: STW_BLOB_TOO_LARGE, or STW_BLOB_SOURCE_FAILED wrapping the
 * source's own error. The source is never destroyed (see BlobStore).
 *
 * @example
 * const meter = new MeteredSource(request, { maxLength });
 * for await (const chunk of meter.chunks()) await file.write(chunk);
 * const { sha256, sha512, length } = meter.digest();
 */
export class MeteredSource {
  readonly #source: BlobSource;
  readonly #options: BlobPutOptions;
  readonly #sha256: Hash = createHash('sha256');
  readonly #sha512: Hash = createHash('sha512');
  #length = 0;
  #failure: StorageError | undefined;
  #digest: BlobDigest | undefined;

  constructor(source: BlobSource, options: BlobPutOptions) {
    this.#source = source;
    this.#options = options;
  }

  /** The first error this meter raised, even when a writer reported a different one. */
  get failure(): StorageError | undefined {
    return this.#failure;
  }

  async *chunks(): AsyncGenerator<Buffer, void, undefined> {
    const iterable = this.#source instanceof Readable ? this.#source.iterator({ destroyOnReturn: false }) : this.#source;
    try {
      for await (const chunk of iterable as AsyncIterable<Uint8Array | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        this.#length += bytes.length;
        if (this.#length > this.#options.maxLength) {
          throw new StorageError('STW_BLOB_TOO_LARGE', `the upload exceeds ${this.#options.maxLength} bytes`, {
            details: { maxLength: this.#options.maxLength },
          });
        }
        this.#sha256.update(bytes);
        this.#sha512.update(bytes);
        this.#options.onProgress?.(this.#length);
        yield bytes;
      }
    } catch (error) {
      this.#failure ??= error instanceof StorageError ? error : new StorageError('STW_BLOB_SOURCE_FAILED', 'the upload stream failed', { cause: error });
      throw this.#failure;
    }
  }

  /** The same chunks as a byte stream, for writers that take a Readable. */
  readable(): Readable {
    return Readable.from(this.chunks(), { objectMode: false });
  }

  /** Call once the source is exhausted. */
  digest(): BlobDigest {
    this.#digest ??= { sha256: this.#sha256.digest('hex'), sha512: this.#sha512.digest('hex'), length: this.#length };
    return this.#digest;
  }

  /** Throws STW_BLOB_HASH_MISMATCH when `expectedSha256` was given and differs. */
  verify(): BlobDigest {
    const digest = this.digest();
    const expected = this.#options.expectedSha256;
    if (expected !== undefined && expected !== digest.sha256) {
      throw new StorageError('STW_BLOB_HASH_MISMATCH', 'the upload does not have the expected SHA-256', {
        details: { expectedSha256: expected, actualSha256: digest.sha256, length: digest.length },
      });
    }
    return digest;
  }
}
