/**
 * The files of the profile applier, all replaced whole through DurableFs:
 *
 * - `profile.json`: the profile in force;
 * - `profile.previous.json`: the one before it (what a failed check restores);
 * - `profile.apply.json`: present only while an apply is under way, saying which version
 *   and in which phase (`applying`: the new file may or may not be in place yet;
 *   `restoring`: the check failed and the previous file is being put back).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeviceError } from '../errors.js';
import type { DurableFs } from '../durable/durable-fs.js';

export interface ApplyMarker {
  readonly version: number;
  readonly previousVersion: number | undefined;
  readonly phase: 'applying' | 'restoring';
  readonly details?: Record<string, unknown>;
}

export class ProfileFiles {
  readonly current: string;
  readonly previous: string;
  readonly marker: string;
  readonly #fs: DurableFs;

  constructor(directory: string, fs: DurableFs) {
    this.current = join(directory, 'profile.json');
    this.previous = join(directory, 'profile.previous.json');
    this.marker = join(directory, 'profile.apply.json');
    this.#fs = fs;
  }

  read(path: string): Promise<Uint8Array | undefined> {
    return readFile(path).then(
      (bytes) => new Uint8Array(bytes),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw new DeviceError('STW_DEVICE_STORE_FAILED', `cannot read ${path}`, { cause: error, details: { path } });
      },
    );
  }

  write(path: string, bytes: Uint8Array): Promise<void> {
    return this.#fs.writeFileAtomic(path, bytes);
  }

  async remove(path: string): Promise<void> {
    if ((await this.read(path)) !== undefined) await this.#fs.unlinkDurably(path);
  }

  async readMarker(): Promise<ApplyMarker | undefined> {
    const bytes = await this.read(this.marker);
    if (bytes === undefined) return undefined;
    try {
      const wire = JSON.parse(Buffer.from(bytes).toString('utf8')) as { version: number; previous_version: number | null; phase: ApplyMarker['phase']; details?: Record<string, unknown> };
      return { version: wire.version, previousVersion: wire.previous_version ?? undefined, phase: wire.phase, ...(wire.details ? { details: wire.details } : {}) };
    } catch (error) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `${this.marker} is malformed`, { cause: error, details: { path: this.marker } });
    }
  }

  writeMarker(marker: ApplyMarker): Promise<void> {
    const wire = { version: marker.version, previous_version: marker.previousVersion ?? null, phase: marker.phase, details: marker.details };
    return this.write(this.marker, Buffer.from(`${JSON.stringify(wire)}\n`));
  }
}
