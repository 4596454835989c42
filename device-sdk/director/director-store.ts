/**
 * Where the last accepted director document is kept: `<directory>/director.json`, the
 * envelope as received, replaced whole through DurableFs. Its version is the floor below which
 * no director document is accepted again (protocol.md section 4), across restarts.
 *
 * @example
 * const store = new DirectorStore('/var/steward/director');
 * const bytes = await store.read();
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DurableFs } from '../durable/durable-fs.js';
import { DeviceError } from '../errors.js';

export class DirectorStore {
  readonly path: string;
  readonly #directory: string;
  readonly #fs: DurableFs;

  constructor(directory: string, options: { fs?: DurableFs } = {}) {
    this.#directory = directory;
    this.path = join(directory, 'director.json');
    this.#fs = options.fs ?? new DurableFs();
  }

  async read(): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new DeviceError('STW_DEVICE_STORE_FAILED', `cannot read ${this.path}`, { cause: error, details: { path: this.path } });
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    await this.#fs.ensureDirectory(this.#directory);
    await this.#fs.writeFileAtomic(this.path, bytes);
  }
}
