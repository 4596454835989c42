/**
 * Keeps the one `DeviceState` in `<stateDirectory>/update-state.json`, replaced whole through
 * DurableFs (temp, fsync, rename, fsync dir) so that a power cut leaves the previous state or
 * the next, never a torn file. No file means `idle`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeviceError } from '../errors.js';
import type { DurableFs } from '../durable/durable-fs.js';
import { deviceStateKinds, type DeviceState } from './device-state.js';

const SCHEMA = 1;

export class UpdateStateStore {
  readonly path: string;
  readonly #fs: DurableFs;

  constructor(stateDirectory: string, fs: DurableFs) {
    this.path = join(stateDirectory, 'update-state.json');
    this.#fs = fs;
  }

  async load(): Promise<DeviceState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'idle' };
      throw new DeviceError('STW_DEVICE_STORE_FAILED', `cannot read ${this.path}`, { cause: error, details: { path: this.path } });
    }
    let wire: { schema?: unknown; state?: { kind?: unknown } };
    try {
      wire = JSON.parse(text) as typeof wire;
    } catch (error) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `${this.path} is not JSON`, { cause: error, details: { path: this.path } });
    }
    const kind = wire.state?.kind;
    if (wire.schema !== SCHEMA || !deviceStateKinds.includes(kind as DeviceState['kind'])) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `${this.path} holds no known state`, { details: { path: this.path, kind } });
    }
    return wire.state as DeviceState;
  }

  async save(state: DeviceState): Promise<void> {
    await this.#fs.ensureDirectory(join(this.path, '..'));
    await this.#fs.writeFileAtomic(this.path, Buffer.from(`${JSON.stringify({ schema: SCHEMA, state })}\n`));
  }
}
