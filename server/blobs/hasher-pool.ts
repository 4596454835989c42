import { availableParallelism } from 'node:os';
import { HashWorker } from './hash-worker.js';
import { InlineHasher, type HashAlgorithm, type Hasher } from './hasher.js';
import { SlabHasher, type SlabOptions } from './slab-hasher.js';

export interface HasherPoolOptions extends SlabOptions {
  /** Worker threads at most; 0 hashes everything on the calling thread. */
  readonly maxWorkers: number;
}

export const defaultHasherPoolOptions: HasherPoolOptions = {
  // One thread per spare core, at most two (SHA-256 and SHA-512 of an upload each on its own
  // thread); the event loop needs a core of its own.
  maxWorkers: Math.max(1, Math.min(2, availableParallelism() - 1)),
  slabBytes: 1024 * 1024, // bytes per message
  slabsPerJob: 4, // slabs: at most 4 MiB of an upload waits for its thread
};

/**
 * A small, long-lived set of hash threads owned by a blob store, so an upload's SHA-256 and
 * SHA-512 (together they cost more CPU than receiving and writing the bytes) run beside the
 * event loop instead of on it. A thread starts when a job first has a full slab to hash
 * (streams of up to `slabBytes` are hashed on the calling thread and never start one), keeps
 * the process alive only while it has jobs, and ends with `close()`. Jobs share threads: each
 * goes to an idle or the least busy one, and a new thread starts while fewer than `maxWorkers`
 * run and none is idle. A thread that cannot start disables the pool: hashing then happens on
 * the calling thread, as it does after `close()`.
 *
 * @example
 * const pool = new HasherPool();
 * const hasher = pool.lease(['sha256', 'sha512']);
 * try { await hasher.update(bytes); ({ sha256, sha512 } = await hasher.digest()); } finally { hasher.release(); }
 * await pool.close();
 */
export class HasherPool {
  readonly #options: HasherPoolOptions;
  readonly #workers: HashWorker[] = [];
  #closed = false;
  #disabled = false;

  constructor(options: Partial<HasherPoolOptions> = {}) {
    this.#options = { ...defaultHasherPoolOptions, ...options };
  }

  /** The most threads this pool runs (0 after `close()`). */
  get maxWorkers(): number {
    return this.#usable() ? this.#options.maxWorkers : 0;
  }

  /** Threads running now (started and not yet exited). */
  get threads(): number {
    return this.#workers.length;
  }

  /** Jobs the threads hold now (leased hashers not yet digested or released). */
  get jobs(): number {
    return this.#workers.reduce((sum, worker) => sum + worker.jobs, 0);
  }

  /**
   * Hashes for `algorithms` over one byte stream: one job, one copy of the bytes. The job takes
   * a thread only once it has more than `slabBytes` to hash.
   */
  lease(algorithms: readonly HashAlgorithm[]): Hasher {
    if (!this.#usable()) return new InlineHasher(algorithms);
    return new SlabHasher(algorithms, this.#options, () => this.#pick());
  }

  /** Ends every thread; jobs running on them fail with STW_BLOB_BACKEND. Later jobs hash inline. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#workers.splice(0).map((worker) => worker.terminate()));
  }

  #usable(): boolean {
    return !this.#closed && !this.#disabled && this.#options.maxWorkers > 0;
  }

  /** The least busy thread, or a new one while fewer than `maxWorkers` run and none is idle. */
  #pick(): HashWorker | undefined {
    if (!this.#usable()) return undefined;
    const live = this.#workers.filter((worker) => !worker.failed);
    const idlest = live.reduce<HashWorker | undefined>((best, worker) => (best === undefined || worker.jobs < best.jobs ? worker : best), undefined);
    return idlest !== undefined && (idlest.jobs === 0 || live.length >= this.#options.maxWorkers) ? idlest : this.#start();
  }

  #start(): HashWorker | undefined {
    try {
      const worker = new HashWorker((gone, cameOnline) => {
        const index = this.#workers.indexOf(gone);
        if (index >= 0) this.#workers.splice(index, 1);
        if (!cameOnline && !this.#closed) this.#disabled = true;
      });
      this.#workers.push(worker);
      return worker;
    } catch {
      this.#disabled = true;
      return undefined;
    }
  }
}
