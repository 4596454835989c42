/**
 * What every state handler gets, and what it returns: the next state to persist, a reason
 * to stop for now, or both.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { DeviceError } from '../errors.js';
import type { ArtifactDownloader } from '../download/index.js';
import type { BootFallback, SlotInstaller } from '../install/index.js';
import type { DeviceState } from './device-state.js';
import type { UpdateDescriptor } from './update-descriptor.js';
import type { RollbackReason, UpdateEvent } from './update-event.js';
import type { UpdateConfig, UpdateHost } from './update-host.js';

/** Why `resume()` returned: nothing pending, wait and call again, a reboot was requested, or an outcome awaits its report. */
export type StopReason = 'nothing-to-do' | 'try-later' | 'reboot' | 'report-outcome';

export interface Transition {
  /** Persisted before anything else happens. */
  readonly next?: DeviceState;
  /** When set, the machine stops after persisting `next`. */
  readonly stop?: StopReason;
}

export interface StepContext {
  readonly installer: SlotInstaller;
  readonly downloader: ArtifactDownloader;
  readonly host: UpdateHost;
  readonly config: UpdateConfig;
  emit(event: UpdateEvent): void;
}

/** The fields every event of this update carries. */
export function eventBase(context: StepContext, update: UpdateDescriptor) {
  return { targetName: update.targetName, version: update.version, component: update.component, at: context.config.now().toISOString() };
}

/** Content-addressed download location, so two targets can never share a file. */
export function artifactPath(config: UpdateConfig, update: UpdateDescriptor): string {
  const digest = update.hashes.sha256 ?? update.hashes.sha512 ?? 'unhashed';
  return join(config.stateDirectory, 'downloads', `${digest.toLowerCase().replace(/[^0-9a-f]/g, '')}.img`);
}

/** Remove the downloaded artifact and any partial of it (idempotent). */
export async function removeArtifact(context: StepContext, update: UpdateDescriptor): Promise<void> {
  const path = artifactPath(context.config, update);
  for (const file of [path, `${path}.partial`]) {
    if (await exists(file)) await context.config.fs.unlinkDurably(file);
  }
}

/** Why the bootloader left a trial slot, as an event reason. */
export function fallbackReason(fallback: BootFallback | undefined): RollbackReason {
  return fallback?.reason === 'slot-corrupt' ? 'STW_DEVICE_SLOT_CORRUPT' : 'STW_DEVICE_BOOT_LIMIT';
}

export function asDeviceError(error: unknown): DeviceError {
  if (error instanceof DeviceError) return error;
  return new DeviceError('STW_DEVICE_INSTALL_FAILED', error instanceof Error ? error.message : String(error), { cause: error });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
