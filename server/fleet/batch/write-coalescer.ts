/**
 * Group commit for small writes. Requests that arrive while a batch is being written wait
 * and go together in the next one, so N concurrent check-ins cost one commit (one fsync on
 * SQLite, one round trip per statement on PostgreSQL) instead of N. Nobody waits for a
 * timer: a batch starts on the next turn of the event loop (`setImmediate`), after the
 * requests already received have had their turn to join it. That turn matters with
 * SQLite, whose driver answers synchronously: without it, each request would run to its
 * commit before the server even reads the next one.
 *
 * Each submitter gets its own result, and its promise settles only after its batch is
 * committed. When a batch fails as a whole, its items are retried one by one so that one
 * bad item fails alone.
 *
 * @example
 * const nonces = new WriteCoalescer<NonceItem, boolean>((items) => insertNonces(db, items), { maxBatch: 500 });
 * const fresh = await nonces.submit({ deviceId, nonce, expiresAt });
 */

export interface WriteCoalescerOptions {
  /** Most items in one batch. */
  readonly maxBatch: number;
  /** Batches written at the same time (1 for SQLite, a few for a PostgreSQL pool). */
  readonly concurrency: number;
}

interface Pending<I, R> {
  readonly item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class WriteCoalescer<I, R> {
  readonly #write: (items: readonly I[]) => Promise<readonly R[]>;
  readonly #options: WriteCoalescerOptions;
  #queue: Pending<I, R>[] = [];
  #running = 0;
  #scheduled = false;

  /** `write` commits all `items` and returns one result per item, in order. */
  constructor(write: (items: readonly I[]) => Promise<readonly R[]>, options: Partial<WriteCoalescerOptions> = {}) {
    this.#write = write;
    this.#options = { maxBatch: 256, concurrency: 1, ...options };
  }

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Items waiting for a batch (for metrics and tests). */
  get waiting(): number {
    return this.#queue.length;
  }

  #schedule(): void {
    if (this.#scheduled || this.#running >= this.#options.concurrency || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#running < this.#options.concurrency && this.#queue.length > 0) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running++;
    try {
      const batch = this.#queue.splice(0, this.#options.maxBatch);
      if (batch.length > 0) await this.#writeBatch(batch);
    } finally {
      this.#running--;
      this.#schedule();
    }
  }

  async #writeBatch(batch: Pending<I, R>[]): Promise<void> {
    try {
      const results = await this.#write(batch.map((pending) => pending.item));
      batch.forEach((pending, index) => pending.resolve(results[index] as R));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const pending of batch) await this.#writeBatch([pending]);
    }
  }
}
