import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageError } from '../db/storage-error.js';
import { assertBlobKey } from './blob-key.js';
import type { BlobDigest, BlobPutOptions, BlobRange, BlobReadResult, BlobSource, BlobStat, BlobStore } from './blob-store.js';
import { resolveRange } from './byte-range.js';
import { defaultDurableFileOptions, writeDurably, type DurableFileOptions } from './durable-file.js';
import { HasherPool } from './hasher-pool.js';
import { MeteredSource, uploadHashers } from './metered-source.js';
import { assertPutOptions } from './put-options.js';

export interface FsBlobStoreOptions {
  /** Hash threads to use (shared with other stores); by default the store starts its own. */
  readonly hashers?: HasherPool | undefined;
  /** How uploads are written (batching, background fdatasync). */
  readonly file?: Partial<DurableFileOptions> | undefined;
}

/**
 * Blobs in a directory: `<dir>/<first two hex digits>/<sha256>`, the embedded default.
 *
 * An upload is written to `<dir>/.tmp/<uuid>.part` (see writeDurably: batched writes, fdatasync
 * while it arrives, fsync at the end) and hashed on the way (on the threads of the store's
 * HasherPool), then renamed to its final name (rename is atomic on POSIX, so a reader sees the
 * whole blob or none; two uploads of the same content rename identical bytes) and the directory
 * is fsynced so the rename survives a power cut. `.part` files older than a crash can be deleted
 * at any time.
 *
 * @example
 * const blobs = new FsBlobStore('./data/blobs');
 * const { sha256 } = await blobs.put(stream, { maxLength: 1 << 30 });
 * await blobs.close(); // ends the hash threads
 */
export class FsBlobStore implements BlobStore {
  readonly dir: string;
  readonly #tmpDir: string;
  readonly #hashers: HasherPool;
  readonly #ownsHashers: boolean;
  readonly #file: DurableFileOptions;

  constructor(dir: string, options: FsBlobStoreOptions = {}) {
    this.dir = dir;
    this.#tmpDir = join(dir, '.tmp');
    this.#hashers = options.hashers ?? new HasherPool();
    this.#ownsHashers = options.hashers === undefined;
    this.#file = { ...defaultDurableFileOptions, ...options.file };
  }

  /** Where the blob with this key lives (or would live). */
  pathOf(sha256: string): string {
    assertBlobKey(sha256);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async put(source: BlobSource, options: BlobPutOptions): Promise<BlobDigest> {
    assertPutOptions(options);
    await backend('mkdir', () => mkdir(this.#tmpDir, { recursive: true }));
    const tmp = join(this.#tmpDir, `${randomUUID()}.part`);
    const meter = new MeteredSource(source, options, uploadHashers(this.#hashers));
    try {
      // Returns or throws only once the file is closed, so the cleanup below cannot race it.
      await backend('write', () => writeDurably(tmp, meter.chunks(), this.#file)).catch((error: unknown) => {
        throw meter.failure ?? error;
      });
      const digest = await meter.verify();
      const shard = join(this.dir, digest.sha256.slice(0, 2));
      await backend('mkdir', () => mkdir(shard, { recursive: true }));
      await backend('rename', () => rename(tmp, join(shard, digest.sha256)));
      await backend('fsync', () => syncDirectory(shard));
      return digest;
    } finally {
      meter.release();
      await rm(tmp, { force: true });
    }
  }

  /** Ends the hash threads the store started; a later `put` hashes on the calling thread. */
  async close(): Promise<void> {
    if (this.#ownsHashers) await this.#hashers.close();
  }

  async get(sha256: string, range?: BlobRange): Promise<BlobReadResult | undefined> {
    const path = this.pathOf(sha256);
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw wrap('open', error);
    }
    try {
      // Size from the open descriptor: a concurrent delete cannot make it disagree with the bytes.
      const { size } = await backend('stat', () => handle.stat());
      const { start, end } = range === undefined ? { start: 0, end: size - 1 } : resolveRange(range, size);
      const length = end - start + 1;
      const body = handle.createReadStream(length === 0 ? { start: 0, autoClose: true } : { start, end, autoClose: true });
      return { body, length, totalLength: size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async stat(sha256: string): Promise<BlobStat | undefined> {
    const path = this.pathOf(sha256);
    try {
      return { length: (await stat(path)).size };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw wrap('stat', error);
    }
  }

  async delete(sha256: string): Promise<void> {
    const path = this.pathOf(sha256);
    await backend('rm', () => rm(path, { force: true }));
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function wrap(operation: string, error: unknown): StorageError {
  return new StorageError('STW_BLOB_BACKEND', `file system ${operation} failed`, { cause: error, details: { operation } });
}

/** Runs a file-system step, wrapping its failure as STW_BLOB_BACKEND (StorageErrors pass through). */
async function backend<T>(operation: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof StorageError ? error : wrap(operation, error);
  }
}
