/**
 * A `MetadataStore` in memory: for tests, and for clients that re-bootstrap from a root they
 * embed on every start.
 *
 * @example
 * const store = new MemoryMetadataStore({ root: rootBytes });
 */
import type { MetadataChange, MetadataStore } from './metadata-store.js';

export class MemoryMetadataStore implements MetadataStore {
  readonly #roles = new Map<string, Uint8Array>();

  constructor(initial: Readonly<Record<string, Uint8Array>> = {}) {
    for (const [role, bytes] of Object.entries(initial)) this.#roles.set(role, Uint8Array.from(bytes));
  }

  read(role: string): Promise<Uint8Array | undefined> {
    const bytes = this.#roles.get(role);
    return Promise.resolve(bytes === undefined ? undefined : Uint8Array.from(bytes));
  }

  write(role: string, bytes: Uint8Array): Promise<void> {
    this.#roles.set(role, Uint8Array.from(bytes));
    return Promise.resolve();
  }

  delete(role: string): Promise<void> {
    this.#roles.delete(role);
    return Promise.resolve();
  }

  /** Apply `changes` in order. */
  commit(changes: readonly MetadataChange[]): Promise<void> {
    for (const { role, bytes } of changes) {
      if (bytes === undefined) this.#roles.delete(role);
      else this.#roles.set(role, Uint8Array.from(bytes));
    }
    return Promise.resolve();
  }

  /** Role names currently stored. */
  roles(): string[] {
    return [...this.#roles.keys()];
  }
}
