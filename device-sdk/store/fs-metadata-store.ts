/**
 * A `MetadataStore` in one directory: `root.json`, `timestamp.json`, `snapshot.json`,
 * `targets.json` and `<role>.json` for delegated roles, the role name percent-encoded into a
 * safe file name. Every write goes through `DurableFs` (temp file, fsync, rename, fsync of the
 * directory), so a power cut leaves each file either old or new, never torn. Temporary files
 * a cut left behind are never read, and the first write of a store removes them.
 *
 * @example
 * const store = new FsMetadataStore('/var/steward/tuf');
 * const root = await store.read('root');
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DurableFs } from '../durable/durable-fs.js';
import { DeviceError } from '../errors.js';
import { encodeRoleName } from '../tuf/role-name.js';
import type { MetadataStore } from './metadata-store.js';

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

  async read(role: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(role);
    try {
      return await readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new DeviceError('STW_DEVICE_STORE_FAILED', `reading ${path} failed`, { cause: error, details: { path, role } });
    }
  }

  async write(role: string, bytes: Uint8Array): Promise<void> {
    if (!this.#ready) {
      await this.#fs.ensureDirectory(this.directory);
      await this.#removeLeftovers();
      this.#ready = true;
    }
    await this.#fs.writeFileAtomic(this.pathOf(role), bytes);
  }

  async delete(role: string): Promise<void> {
    await this.#fs.unlinkDurably(this.pathOf(role));
  }

  /** Temporary files of writes a crash interrupted (DurableFs names them `.<file>.<hex>.tmp`). */
  async #removeLeftovers(): Promise<void> {
    const names = await readdir(this.directory).catch(() => [] as string[]);
    for (const name of names) {
      if (LEFTOVER.test(name)) await this.#fs.unlinkDurably(join(this.directory, name));
    }
  }
}

const LEFTOVER = /^\..+\.json\.[0-9a-f]+\.tmp$/;
