import { Readable } from 'node:stream';
import { StorageError } from '../db/storage-error.js';
import type { BlobDigest, BlobPutOptions, BlobSource } from './blob-store.js';
import type { HasherPool } from './hasher-pool.js';
import { InlineHasher, type HashDigests, type Hasher } from './hasher.js';

/**
 * The hashers a blob store gives an upload. Neither hash runs on the event loop, which stays
 * free for receiving, writing and every other request: with one hash thread (the default on 2
 * cores) SHA-256 and SHA-512 share a job (one copy of the bytes, the least CPU in total); with
 * two or more each gets its own job, so SHA-512 (~1.4 CPU-seconds per GiB, twice SHA-256 with
 * the CPU's SHA extensions) is the longest path and not the sum of both.
 */
export function uploadHashers(pool: HasherPool): readonly Hasher[] {
  return pool.maxWorkers >= 2 ? [pool.lease(['sha256']), pool.lease(['sha512'])] : [pool.lease(['sha256', 'sha512'])];
}

/**
 * Passes an upload through while hashing it (SHA-256 and SHA-512, the hashes TUF target
 * entries carry) and counting it, and stops it one chunk after `maxLength` is exceeded.
 * Pull-based: it reads the next chunk only when the writer asks, and waits while a hasher is
 * full (a hash worker lagging behind), so memory stays bounded by what the writer and the
 * hashers buffer.
 *
 * The hashers are the caller's (a blob store leases them from its HasherPool): call `release()`
 * when the upload ends, whichever way it ends, so a worker does not keep an abandoned job.
 *
 * Failures are StorageErrors: STW_BLOB_TOO_LARGE, STW_BLOB_SOURCE_FAILED wrapping the
 * source's own error, or STW_BLOB_BACKEND when a hash thread failed. The source is never
 * destroyed (see BlobStore).
 *
 * @example
 * const meter = new MeteredSource(request, { maxLength }, [pool.lease(['sha256', 'sha512'])]);
 * try {
 *   for await (const chunk of meter.chunks()) await file.write(chunk);
 *   const { sha256, sha512, length } = await meter.verify();
 * } finally {
 *   meter.release();
 * }
 */
export class MeteredSource {
  readonly #source: BlobSource;
  readonly #options: BlobPutOptions;
  readonly #hashers: readonly Hasher[];
  #length = 0;
  #failure: StorageError | undefined;
  #digest: Promise<BlobDigest> | undefined;

  constructor(source: BlobSource, options: BlobPutOptions, hashers: readonly Hasher[] = [new InlineHasher(['sha256', 'sha512'])]) {
    this.#source = source;
    this.#options = options;
    this.#hashers = hashers;
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
        for (const hasher of this.#hashers) {
          const full = hasher.update(bytes);
          if (full !== undefined) await full;
        }
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
  digest(): Promise<BlobDigest> {
    this.#digest ??= Promise.all(this.#hashers.map((hasher) => hasher.digest())).then((parts) => {
      const { sha256, sha512 } = Object.assign({}, ...parts) as HashDigests;
      if (sha256 === undefined || sha512 === undefined) throw new TypeError('a meter needs hashers for SHA-256 and SHA-512');
      return { sha256, sha512, length: this.#length };
    });
    return this.#digest;
  }

  /** Throws STW_BLOB_HASH_MISMATCH when `expectedSha256` was given and differs. */
  async verify(): Promise<BlobDigest> {
    const digest = await this.digest();
    const expected = this.#options.expectedSha256;
    if (expected !== undefined && expected !== digest.sha256) {
      throw new StorageError('STW_BLOB_HASH_MISMATCH', 'the upload does not have the expected SHA-256', {
        details: { expectedSha256: expected, actualSha256: digest.sha256, length: digest.length },
      });
    }
    return digest;
  }

  /** Lets go of the hashers (finished or not); safe to call more than once. */
  release(): void {
    for (const hasher of this.#hashers) hasher.release();
  }
}
