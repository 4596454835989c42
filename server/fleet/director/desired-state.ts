/**
 * What one device's director document says, before it is versioned, dated and signed:
 * instructions (device id, poll interval, install window, cancelled rollouts), images from
 * the rollout plan, and the profile (none yet: see `profileFor`). Its hash decides whether
 * the stored document still says the right thing: an unchanged hash means no re-signing.
 *
 * @example
 * const state = desiredState({ deviceId, plan, profile: undefined, pollIntervalSeconds: 300 });
 * if (desiredStateHash(state) === stored.stateHash) { ... reuse the stored document ... }
 */
import { createHash } from 'node:crypto';
import { canonicalBytes, type DirectorInstructions, type Hashes, type JsonObject } from '../../../manifests/index.js';
import type { DevicePlan } from '../rollouts/rollout-planner.js';

export interface DesiredImage {
  readonly name: string;
  readonly length: number;
  readonly hashes: Hashes;
  readonly hardwareId: string;
  readonly component: string;
  readonly version: string;
  readonly rolloutId: string;
}

export interface DesiredProfile {
  readonly name: string;
  readonly length: number;
  readonly hashes: Hashes;
  readonly profileVersion: number;
}

export interface DesiredState {
  readonly instructions: DirectorInstructions;
  readonly images: readonly DesiredImage[];
  readonly profile: DesiredProfile | undefined;
}

export function desiredState(options: { deviceId: string; plan: DevicePlan; profile: DesiredProfile | undefined; pollIntervalSeconds: number }): DesiredState {
  const { deviceId, plan, profile, pollIntervalSeconds } = options;
  // One window per document (director-targets.ts): the first planned image's window governs.
  const installWindow = plan.images.find((image) => image.installWindow !== undefined)?.installWindow;
  const images = plan.images.map((image) => ({
    name: image.targetPath,
    length: image.length,
    hashes: { sha256: image.hashes.sha256, ...(image.hashes.sha512 === undefined ? {} : { sha512: image.hashes.sha512 }) },
    hardwareId: image.hardwareId,
    component: image.component,
    version: image.version,
    rolloutId: image.rolloutId,
  }));
  const cancelledRollouts = [...new Set(plan.cancelledRollouts)].sort();
  return { instructions: { deviceId, pollIntervalSeconds, installWindow, correlationId: undefined, cancelledRollouts }, images, profile };
}

/** SHA-256 hex of the canonical JSON (TUF's canonical form) of the state. */
export function desiredStateHash(state: DesiredState): string {
  const { deviceId, pollIntervalSeconds, installWindow, cancelledRollouts } = state.instructions;
  const document: JsonObject = {
    device_id: deviceId,
    poll_interval_seconds: pollIntervalSeconds,
    install_window: installWindow ? { start: installWindow.start, end: installWindow.end, time_zone: installWindow.timeZone } : null,
    cancelled_rollouts: [...(cancelledRollouts ?? [])],
    images: state.images.map((image) => ({ ...image, hashes: { ...image.hashes } })),
    profile: state.profile ? { ...state.profile, hashes: { ...state.profile.hashes } } : null,
  };
  return createHash('sha256').update(canonicalBytes(document)).digest('hex');
}
