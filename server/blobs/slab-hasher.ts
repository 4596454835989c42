import { StorageError } from '../db/storage-error.js';
import type { HashJob, HashWorker, HashWorkerMessage } from './hash-worker.js';
import { InlineHasher, type HashAlgorithm, type HashDigests, type Hasher } from './hasher.js';

/** How a job feeds its thread: bytes are copied into slabs that travel to the thread and back. */
export interface SlabOptions {
  /** Bytes per slab (per message). Streams that end within one slab never reach a thread. */
  readonly slabBytes: number;
  /** Slabs one job may own: its memory bound, and how far the thread may lag behind. */
  readonly slabsPerJob: number;
}

/**
 * Hashes computed by a hash thread. `update` copies the bytes into the current slab (the one
 * copy); a full slab is transferred to the thread (no copy) and comes back once hashed. When
 * all `slabsPerJob` slabs are away, `update` returns a promise that settles when one is back:
 * that back-pressure bounds memory and slows the upload to the thread's pace.
 *
 * The thread is only taken when the first slab is full, so small streams are hashed here at
 * `digest` and cost no thread at all; when no thread can be had then, hashing goes on here.
 */
export class SlabHasher implements Hasher, HashJob {
  readonly #algorithms: readonly HashAlgorithm[];
  readonly #options: SlabOptions;
  readonly #connect: () => HashWorker | undefined;
  readonly #free: ArrayBuffer[] = [];
  #allocated = 0;
  #current: Uint8Array | undefined;
  #filled = 0;
  #worker: { readonly thread: HashWorker; readonly id: number } | undefined;
  #inline: InlineHasher | undefined;
  #state: 'open' | 'digesting' | 'done' = 'open';
  #failure: StorageError | undefined;
  #slabWaiter: Waiter<void> | undefined;
  #digestWaiter: Waiter<HashDigests> | undefined;

  /** `connect` picks the thread when the first slab is full (undefined: hash here instead). */
  constructor(algorithms: readonly HashAlgorithm[], options: SlabOptions, connect: () => HashWorker | undefined) {
    this.#algorithms = algorithms;
    this.#options = options;
    this.#connect = connect;
  }

  update(bytes: Uint8Array): Promise<void> | undefined {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#state !== 'open') throw new Error('update after digest or release');
    let offset = 0;
    while (offset < bytes.length) {
      if (this.#inline !== undefined) return this.#inline.update(bytes.subarray(offset));
      if (this.#current === undefined) {
        const slab = this.#takeSlab();
        if (slab === undefined) {
          const rest = bytes.subarray(offset);
          return new Promise<void>((resolve, reject) => (this.#slabWaiter = { resolve, reject })).then(() => this.update(rest));
        }
        this.#current = new Uint8Array(slab);
        this.#filled = 0;
      }
      const count = Math.min(bytes.length - offset, this.#current.length - this.#filled);
      this.#current.set(bytes.subarray(offset, offset + count), this.#filled);
      this.#filled += count;
      offset += count;
      if (this.#filled === this.#current.length) this.#send();
    }
    return undefined;
  }

  async digest(): Promise<HashDigests> {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#state !== 'open') throw new Error('digest after digest or release');
    this.#state = 'digesting';
    if (this.#worker === undefined) {
      // Never reached a thread: all the bytes are in the current slab (or already inline).
      const inline = this.#inline ?? new InlineHasher(this.#algorithms);
      if (this.#inline === undefined && this.#current !== undefined) inline.update(this.#current.subarray(0, this.#filled));
      this.#state = 'done';
      this.#current = undefined;
      return inline.digest();
    }
    const { thread, id } = this.#worker;
    if (this.#filled > 0) this.#send();
    return new Promise<HashDigests>((resolve, reject) => {
      this.#digestWaiter = { resolve, reject };
      thread.post({ op: 'digest', id });
    });
  }

  release(): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    if (this.#worker !== undefined) {
      this.#worker.thread.post({ op: 'abort', id: this.#worker.id });
      this.#worker.thread.detach(this.#worker.id);
    }
    this.#settle(new StorageError('STW_BLOB_BACKEND', 'the hash was released before it finished', { details: { operation: 'hash' } }));
    this.#current = undefined;
    this.#free.length = 0;
  }

  receive(message: HashWorkerMessage): void {
    if (message.op === 'slab') {
      this.#free.push(message.slab);
      const waiter = this.#slabWaiter;
      this.#slabWaiter = undefined;
      waiter?.resolve();
      return;
    }
    this.#state = 'done';
    if (this.#worker !== undefined) this.#worker.thread.detach(this.#worker.id);
    const waiter = this.#digestWaiter;
    this.#digestWaiter = undefined;
    const hex = message.hex;
    if (hex !== undefined) waiter?.resolve(Object.fromEntries(this.#algorithms.map((algorithm, index) => [algorithm, hex[index]])));
    else waiter?.reject(new StorageError('STW_BLOB_BACKEND', 'the hash thread lost a job', { details: { operation: 'hash', reason: message.error } }));
  }

  fail(error: StorageError): void {
    this.#failure = error;
    this.#state = 'done';
    this.#settle(error);
  }

  #settle(error: StorageError): void {
    const slabWaiter = this.#slabWaiter;
    const digestWaiter = this.#digestWaiter;
    this.#slabWaiter = undefined;
    this.#digestWaiter = undefined;
    slabWaiter?.reject(error);
    digestWaiter?.reject(error);
  }

  #takeSlab(): ArrayBuffer | undefined {
    const reused = this.#free.pop();
    if (reused !== undefined || this.#allocated >= this.#options.slabsPerJob) return reused;
    this.#allocated += 1;
    return new ArrayBuffer(this.#options.slabBytes);
  }

  /** Hands the current slab to the thread (taking one first if needed). */
  #send(): void {
    const current = this.#current;
    if (current === undefined) return;
    this.#current = undefined;
    const length = this.#filled;
    this.#filled = 0;
    if (this.#worker === undefined) {
      const thread = this.#connect();
      const id = thread?.attach(this, this.#algorithms);
      if (thread === undefined || id === undefined) {
        this.#inline = new InlineHasher(this.#algorithms);
        this.#inline.update(current.subarray(0, length));
        return;
      }
      this.#worker = { thread, id };
    }
    const slab = current.buffer as ArrayBuffer;
    this.#worker.thread.post({ op: 'update', id: this.#worker.id, slab, length }, [slab]);
  }
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}
