/**
 * Store writes of one update, run one after another in the order the workflow makes them
 * (TUF 5.3.8, 5.3.11, 5.4.5, 5.5.7, 5.6.6) while the next download and check go ahead: the
 * fsyncs of a durable store overlap with the network instead of adding to it. A read of a
 * role waits for the queued writes of that role; after a failed write nothing later is
 * written and the failure surfaces at the next read or at `drain()`, which the caller awaits
 * before it reports the update done.
 *
 * @example
 * const persist = new PersistQueue(store);
 * persist.write('timestamp', bytes);        // returns at once
 * const stored = await persist.read('snapshot');
 * await persist.drain();                     // every write durable, or the first failure
 */
import type { MetadataStore } from '../store/metadata-store.js';

export class PersistQueue {
  readonly #store: MetadataStore;
  #tail: Promise<void> = Promise.resolve();
  readonly #lastByRole = new Map<string, Promise<void>>();
  #failed = false;
  #failure: unknown;

  constructor(store: MetadataStore) {
    this.#store = store;
  }

  write(role: string, bytes: Uint8Array): void {
    this.#enqueue(role, () => this.#store.write(role, bytes));
  }

  delete(role: string): void {
    this.#enqueue(role, () => this.#store.delete(role));
  }

  /** The stored bytes of `role` once its queued writes are done. */
  async read(role: string): Promise<Uint8Array | undefined> {
    await this.#lastByRole.get(role);
    this.#throwIfFailed();
    return this.#store.read(role);
  }

  /** Wait for every queued write; rethrows the first failure. */
  async drain(): Promise<void> {
    await this.#tail;
    this.#throwIfFailed();
  }

  #enqueue(role: string, operation: () => Promise<void>): void {
    const run = this.#tail.then(async () => {
      if (this.#failed) return;
      try {
        await operation();
      } catch (error) {
        this.#failed = true;
        this.#failure = error;
      }
    });
    this.#tail = run;
    this.#lastByRole.set(role, run);
  }

  #throwIfFailed(): void {
    if (this.#failed) throw this.#failure;
  }
}
