/**
 * The store changes of one update, kept in memory until the update is done and then
 * committed together, so a durable store pays its flushes once per update instead of once
 * per file (an fs store: every temporary file fsynced at once, one directory fsync).
 *
 * Only the final state of each role is kept: a root written twice by a rotation chain is
 * stored once, at its last version; a role deleted and then written is simply replaced.
 * Reads see that pending state (pending bytes, or nothing for a pending delete) before the
 * store, so the rest of the update works on what it decided. `drain()` hands the changes to
 * `MetadataStore.commit` in workflow order (below), or to `write`/`delete` one at a time for
 * a store without `commit`; the caller awaits it before it reports the update done, also
 * when the update failed part-way (what was verified before the failure is kept).
 *
 * A cut before the commit leaves the old state: the next refresh redoes the update from it.
 * A cut during the commit leaves each role old or new (the store's guarantee); the client
 * recovers from any mix, because stored metadata counts as trusted only while the current
 * root's keys sign it and stored snapshot/targets are reused only when they are exactly what
 * the fresh timestamp/snapshot pin.
 *
 * @example
 * const persist = new PersistQueue(store);
 * persist.write('timestamp', bytes);        // kept in memory
 * const stored = await persist.read('timestamp');   // those bytes
 * await persist.drain();                     // committed, or the store's failure
 */
import type { MetadataChange, MetadataStore } from '../store/metadata-store.js';

export class PersistQueue {
  readonly #store: MetadataStore;
  /** The final state of each role changed by this update: new bytes, or undefined when deleted. */
  readonly #pending = new Map<string, Uint8Array | undefined>();

  constructor(store: MetadataStore) {
    this.#store = store;
  }

  /** Keep `bytes` (verified metadata) as the new state of `role`; the queue keeps the reference. */
  write(role: string, bytes: Uint8Array): void {
    this.#pending.set(role, bytes);
  }

  delete(role: string): void {
    this.#pending.set(role, undefined);
  }

  /** The bytes of `role` as this update left them: pending, else stored. */
  async read(role: string): Promise<Uint8Array | undefined> {
    if (this.#pending.has(role)) return this.#pending.get(role);
    return this.#store.read(role);
  }

  /** Commit every pending change; rethrows the store's failure. */
  async drain(): Promise<void> {
    if (this.#pending.size === 0) return;
    const changes = inWorkflowOrder([...this.#pending].map(([role, bytes]) => ({ role, bytes })));
    this.#pending.clear();
    if (this.#store.commit !== undefined) {
      await this.#store.commit(changes);
      return;
    }
    for (const { role, bytes } of changes) {
      if (bytes === undefined) await this.#store.delete(role);
      else await this.#store.write(role, bytes);
    }
  }
}

/**
 * Root first (TUF 5.3.8: the new root is persisted before anything it vouches for), then the
 * timestamp and snapshot (TUF 5.3.11: deleted after a rotation of their keys, or replaced;
 * 5.4.5, 5.5.7), then targets (5.6.6), then delegated roles in the order they were verified.
 * On a store that keeps the order, a cut thus never leaves a role newer than the root that
 * signs it. The sort is stable.
 */
function inWorkflowOrder(changes: MetadataChange[]): MetadataChange[] {
  return changes.sort((a, b) => rank(a.role) - rank(b.role));
}

const TOP_LEVEL_RANK: ReadonlyMap<string, number> = new Map([
  ['root', 0],
  ['timestamp', 1],
  ['snapshot', 2],
  ['targets', 3],
]);

function rank(role: string): number {
  return TOP_LEVEL_RANK.get(role) ?? 4;
}
