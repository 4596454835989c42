/**
 * Apply a merchant parameter profile so that the terminal always holds a whole one, old or
 * new, and keeps the new one only if the terminal works with it.
 *
 * apply: validate (schema) -> refuse a version not above the one in force -> copy the current
 * profile to `profile.previous.json` -> write the apply marker -> replace `profile.json`
 * atomically (temp, fsync, rename, fsync dir) -> host `checkProfile()` -> drop the marker
 * (applied), or mark `restoring`, put the previous file back and drop the marker (rolled back).
 *
 * `resume()` at start-up finishes an apply a power cut interrupted: with the new profile in
 * place it runs the check again; without it, the previous profile simply stayed in force.
 *
 * @example
 * const profiles = new ProfileApplier(host, { directory: '/var/steward/profile' });
 * await profiles.resume();
 * const event = await profiles.apply(verifiedProfileBytes); // { type: 'applied', version: 8, ... }
 * report({ profileVersion: await profiles.appliedVersion() });
 */
import { DeviceError } from '../errors.js';
import { runHealthCheck } from '../update/index.js';
import type { ProfileEvent } from './profile-event.js';
import { ProfileFiles, type ApplyMarker } from './profile-files.js';
import { defaultProfileApplierConfig, type ProfileApplierConfig, type ProfileHost } from './profile-host.js';
import { validateProfile } from './profile-validator.js';

export class ProfileApplier {
  readonly #host: ProfileHost;
  readonly #config: ProfileApplierConfig;
  readonly #files: ProfileFiles;
  readonly #onEvent: (event: ProfileEvent) => void;

  constructor(host: ProfileHost, config: Partial<ProfileApplierConfig> & Pick<ProfileApplierConfig, 'directory'>, onEvent?: (event: ProfileEvent) => void) {
    this.#host = host;
    this.#config = { ...defaultProfileApplierConfig, ...config };
    this.#files = new ProfileFiles(this.#config.directory, this.#config.fs);
    this.#onEvent = onEvent ?? (() => {});
  }

  /** The version of the profile in force: what the terminal acknowledges on check-in. */
  async appliedVersion(): Promise<number | undefined> {
    return this.#versionOf(await this.#files.read(this.#files.current));
  }

  async apply(bytes: Uint8Array): Promise<ProfileEvent> {
    await this.resume();
    let version: number;
    try {
      version = validateProfile(this.#config.validator, bytes).version;
    } catch (error) {
      const details = error instanceof DeviceError ? error.details : undefined;
      return this.#emit({ type: 'rejected', version: undefined, code: 'STW_DEVICE_PROFILE_INVALID', ...(details ? { details } : {}) });
    }
    const currentBytes = await this.#files.read(this.#files.current);
    const currentVersion = this.#versionOf(currentBytes);
    if (currentBytes !== undefined && Buffer.from(currentBytes).equals(bytes)) return this.#emit({ type: 'unchanged', version });
    if (currentVersion !== undefined && version <= currentVersion) {
      // Versions are immutable and only grow; an equal version with other bytes is refused too.
      return this.#emit({ type: 'rejected', version, code: 'STW_DEVICE_DOWNGRADE', details: { applied: currentVersion } });
    }
    if (!(await (this.#host.canApplyNow?.() ?? true))) return this.#emit({ type: 'deferred', version, reason: 'host-busy' });
    await this.#config.fs.ensureDirectory(this.#config.directory);
    if (currentBytes !== undefined) await this.#files.write(this.#files.previous, currentBytes);
    await this.#files.writeMarker({ version, previousVersion: currentVersion, phase: 'applying' });
    await this.#files.write(this.#files.current, bytes);
    return this.#check(version, bytes, currentVersion);
  }

  /** Finish an apply interrupted by a power cut; undefined when none was under way. */
  async resume(): Promise<ProfileEvent | undefined> {
    const marker = await this.#files.readMarker();
    if (marker === undefined) return undefined;
    if (marker.phase === 'restoring') return this.#restore(marker);
    const currentBytes = await this.#files.read(this.#files.current);
    const currentVersion = this.#versionOf(currentBytes);
    if (currentBytes !== undefined && currentVersion === marker.version) return this.#check(marker.version, currentBytes, marker.previousVersion);
    await this.#files.remove(this.#files.marker);
    return this.#emit({ type: 'interrupted', version: marker.version, restoredVersion: currentVersion });
  }

  async #check(version: number, bytes: Uint8Array, previousVersion: number | undefined): Promise<ProfileEvent> {
    const check = (signal: AbortSignal) => this.#host.checkProfile(version, bytes, signal);
    const result = await runHealthCheck(check, this.#config.checkTimeoutMs, this.#config.schedule);
    if (result.healthy) {
      await this.#files.remove(this.#files.marker);
      return this.#emit({ type: 'applied', version, previousVersion });
    }
    const details = { timedOut: result.timedOut, ...(result.error === undefined ? {} : { error: result.error }) };
    const marker: ApplyMarker = { version, previousVersion, phase: 'restoring', details };
    await this.#files.writeMarker(marker);
    return this.#restore(marker);
  }

  async #restore(marker: ApplyMarker): Promise<ProfileEvent> {
    const previous = marker.previousVersion === undefined ? undefined : await this.#files.read(this.#files.previous);
    if (previous !== undefined) await this.#files.write(this.#files.current, previous);
    else await this.#files.remove(this.#files.current);
    await this.#files.remove(this.#files.marker);
    return this.#emit({
      type: 'rolled-back',
      version: marker.version,
      restoredVersion: previous === undefined ? undefined : marker.previousVersion,
      reason: 'STW_DEVICE_PROFILE_CHECK_FAILED',
      ...(marker.details ? { details: marker.details } : {}),
    });
  }

  #versionOf(bytes: Uint8Array | undefined): number | undefined {
    if (bytes === undefined) return undefined;
    try {
      return validateProfile(this.#config.validator, bytes).version;
    } catch {
      return undefined;
    }
  }

  #emit(event: DistributiveOmit<ProfileEvent, 'at'>): ProfileEvent {
    const full = { ...event, at: this.#config.now().toISOString() } as ProfileEvent;
    this.#onEvent(full);
    return full;
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
