/**
 * A `MetadataStore` in one directory: `root.json`, `timestamp.json`, `snapshot.json`,
 * `targets.json` and `<role>.json` for delegated roles, the role name percent-encoded into a
 * safe file name. Every change goes through `DurableFs`, so a power cut leaves each file
 * either old or new, never torn:
 * - `write`: temporary file, fsync, rename, fsync of the directory;
 * - `commit` (the client's path, one per update): every temporary file written and fsynced
 *   at once, the renames and unlinks in the order given (workflow order), then one fsync
 *   of the directory for the whole update (`DurableFs.replaceFiles`).
 * Temporary files a cut left behind are never read, and the first change made through a
 * store removes them.
 *
 * @example
 * const store = new FsMetadataStore('/var/steward/tuf');
 * const root = await store.read('root');
 * await store.commit([{ role: 'root', bytes: rootBytes }, { role: 'timestamp', bytes: timestampBytes }]);
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DurableFs, type DurableChange } from '../durable/durable-fs.js';
import { DeviceError } from '../errors.js';
import { encodeRoleName } from '../tuf/role-name.js';
import type { MetadataChange, MetadataStore } from './metadata-store.js';

export interface FsMetadataStoreOptions {
  /** The durable writer (inject one with an `onStep` hook to simulate power cuts). */
  readonly fs?: DurableFs;
}

export class FsMetadataStore implements MetadataStore {
  readonly directory: string;
  readonly #fs: DurableFs;
  #ready = false;

  constructor(directory: string, options: FsMetadataStoreOptions = {}) {
    this.directory = directory;
    this.#fs = options.fs ?? new DurableFs();
  }

  /** The file that holds `role`. */
  pathOf(role: string): string {
    return join(this.directory, `${encodeRoleName(role)}.json`);
  }

  /**
   * Read synchronously: metadata files are small and capped (`UpdaterConfig` lengths), and one
   * blocking read costs microseconds where `fs/promises` takes four thread-pool round trips
   * (open, stat, read, close).
   */
  async read(role: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(role);
    try {
      return readFileSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new DeviceError('STW_DEVICE_STORE_FAILED', `reading ${path} failed`, { cause: error, details: { path, role } });
    }
  }

  async write(role: string, bytes: Uint8Array): Promise<void> {
    await this.commit([{ role, bytes }]);
  }

  async delete(role: string): Promise<void> {
    await this.#fs.unlinkDurably(this.pathOf(role));
  }

  /** Apply `changes` in order with one directory fsync; see the file comment. */
  async commit(changes: readonly MetadataChange[]): Promise<void> {
    if (changes.length === 0) return;
    const leftovers = await this.#prepare();
    const files: DurableChange[] = changes.map(({ role, bytes }) => ({ path: this.pathOf(role), data: bytes }));
    // Leftovers go last: unlinked under the same directory fsync.
    await this.#fs.replaceFiles([...files, ...leftovers.map((path) => ({ path, data: undefined }))]);
  }

  /**
   * On the first change: create the directory, and list the temporary files of changes a
   * crash interrupted (DurableFs names them `.<file>.<hex>.tmp`), before this store makes
   * temporary files of its own.
   */
  async #prepare(): Promise<string[]> {
    if (this.#ready) return [];
    await this.#fs.ensureDirectory(this.directory);
    let names: string[] = [];
    try {
      names = readdirSync(this.directory);
    } catch {
      // Nothing to clean up if the listing fails; the commit itself will report a bad directory.
    }
    this.#ready = true;
    return names.filter((name) => LEFTOVER.test(name)).map((name) => join(this.directory, name));
  }
}

const LEFTOVER = /^\..+\.json\.[0-9a-f]+\.tmp$/;
