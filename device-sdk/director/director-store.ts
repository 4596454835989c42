/**
 * Where the last accepted director document is kept: `<directory>/director.json`, the
 * envelope as received, replaced whole through DurableFs. Its version is the floor below which
 * no director document is accepted again (protocol.md section 4), across restarts. After a
 * rotation of the director's root, the newest trusted root is kept in `<directory>/root.json`.
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

  get rootPath(): string {
    return join(this.#directory, 'root.json');
  }

  read(): Promise<Buffer | undefined> {
    return readOptional(this.path);
  }

  async write(bytes: Uint8Array): Promise<void> {
    await this.#fs.ensureDirectory(this.#directory);
    await this.#fs.writeFileAtomic(this.path, bytes);
  }

  /** The director root trusted after the last rotation, if any. */
  readRoot(): Promise<Buffer | undefined> {
    return readOptional(this.rootPath);
  }

  async writeRoot(bytes: Uint8Array): Promise<void> {
    await this.#fs.ensureDirectory(this.#directory);
    await this.#fs.writeFileAtomic(this.rootPath, bytes);
  }
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DeviceError('STW_DEVICE_STORE_FAILED', `cannot read ${path}`, { cause: error, details: { path } });
  }
}
