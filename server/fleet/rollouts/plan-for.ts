/**
 * What the rollouts want one device to run now (the planner's `planFor`).
 *
 * For each live rollout whose release suits the device (hardware, newer, reachable):
 * - an unfinished offer stands (also while the rollout is paused or completed);
 * - a failed device is offered again once its back-off has passed (not while paused);
 * - otherwise, if the rollout is active or completed and its selector matches, the device is
 *   admitted when its cohort hash falls in the share opened so far, or while the current
 *   count phase has room.
 * Per component one image: an unfinished offer first (one update at a time), else the
 * highest version, older rollout first on a tie. Rollouts cancelled or aborted after
 * offering to this device, and not yet acknowledged, are listed to be dropped (the first
 * time, the device's row moves to `cancelled`: told, not yet acknowledged).
 *
 * Work per check-in: two indexed queries plus a write only when something is offered.
 *
 * @example
 * const plan = await planFor(db, facts, now, defaultPlannerConfig);
 */
import semver from 'semver';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { admit, reoffer, withdraw, type AdmissionRoute } from './admission.js';
import { cohortHash } from './cohort-hash.js';
import { loadDeviceProgress, type DeviceProgress } from './device-progress.js';
import { LIVE_STATUSES, type LiveRollout } from './live-rollouts.js';
import { isInFlight } from './progress-transitions.js';
import { releaseFits } from './release-fit.js';
import type { PlannerConfig } from './rollout-config.js';
import type { DeviceFacts, DevicePlan, PlannedImage } from './rollout-planner.js';
import { selectorMatches } from './selector.js';
import { sweepDueRollouts } from './sweep-timeouts.js';

type Candidate =
  | { readonly kind: 'in-flight'; readonly rollout: LiveRollout }
  | { readonly kind: 'retry'; readonly rollout: LiveRollout; readonly progress: DeviceProgress }
  | { readonly kind: 'admit'; readonly rollout: LiveRollout; readonly via: AdmissionRoute };

export type LiveRolloutSource = (db: Kysely<Database>, options: { fresh: boolean }) => Promise<readonly LiveRollout[]>;

/** What a planner keeps between check-ins: where it reads live rollouts, and its own sweep looks. */
export interface PlannerState {
  readonly source: LiveRolloutSource;
  readonly looked: Map<string, string>;
}

export async function planFor(db: Kysely<Database>, device: DeviceFacts, now: Date, config: PlannerConfig, state: PlannerState): Promise<DevicePlan> {
  let rollouts = await state.source(db, { fresh: false });
  if (await sweepDueRollouts(db, rollouts, now, config, state.looked)) rollouts = await state.source(db, { fresh: true });
  const progress = await loadDeviceProgress(db, device.deviceId);
  const byRollout = new Map(progress.map((row) => [row.key.rolloutId, row]));

  const byComponent = new Map<string, Candidate[]>();
  for (const rollout of rollouts) {
    const candidate = candidateFor(rollout, byRollout.get(rollout.id), device, now);
    if (!candidate) continue;
    const list = byComponent.get(rollout.release.component) ?? [];
    list.push(candidate);
    byComponent.set(rollout.release.component, list);
  }

  const images: PlannedImage[] = [];
  for (const candidates of byComponent.values()) {
    const chosen = await choose(db, candidates, device.deviceId, now);
    if (chosen) images.push(imageFor(chosen, device));
  }
  const stopped = progress.filter((row) => !LIVE_STATUSES.includes(row.rolloutStatus) && (isInFlight(row.state) || row.state === 'cancelled'));
  for (const row of stopped) if (row.state !== 'cancelled') await withdraw(db, row, now);
  return { images, cancelledRollouts: stopped.map((row) => row.key.rolloutId).sort() };
}

function candidateFor(rollout: LiveRollout, progress: DeviceProgress | undefined, device: DeviceFacts, now: Date): Candidate | undefined {
  if (!releaseFits(rollout.release, device)) return undefined;
  if (progress) {
    if (isInFlight(progress.state)) return { kind: 'in-flight', rollout };
    const retryDue = progress.retryAt !== null && progress.retryAt <= now.toISOString();
    return rollout.status !== 'paused' && retryDue ? { kind: 'retry', rollout, progress } : undefined;
  }
  if (rollout.status === 'paused' || !selectorMatches(rollout.selector, device)) return undefined;
  if (rollout.cohortPhase !== null && cohortHash(device.deviceId, rollout.id) < rollout.cohortBp) return { kind: 'admit', rollout, via: 'cohort' };
  const phase = rollout.currentPhase;
  // Counters never go down: a full count phase is seen as full without a write.
  if (phase.kind === 'count' && phase.admitted < phase.value) return { kind: 'admit', rollout, via: 'count' };
  return undefined;
}

async function choose(db: Kysely<Database>, candidates: Candidate[], deviceId: string, now: Date): Promise<LiveRollout | undefined> {
  const newestFirst = (a: Candidate, b: Candidate) => semver.rcompare(a.rollout.release.version, b.rollout.release.version) || a.rollout.createdAt.localeCompare(b.rollout.createdAt);
  const inFlight = candidates.filter((candidate) => candidate.kind === 'in-flight').sort(newestFirst);
  if (inFlight[0]) return inFlight[0].rollout;
  for (const candidate of candidates.sort(newestFirst)) {
    const taken = candidate.kind === 'retry' ? await reoffer(db, candidate.progress, candidate.rollout, now) : candidate.kind === 'admit' ? await admit(db, candidate.rollout, deviceId, candidate.via, now) : false;
    if (taken) return candidate.rollout;
  }
  return undefined;
}

function imageFor(rollout: LiveRollout, device: DeviceFacts): PlannedImage {
  const { release } = rollout;
  return {
    rolloutId: rollout.id,
    targetPath: rollout.targetPath,
    component: release.component,
    version: release.version,
    length: release.length,
    hashes: release.sha512 === null ? { sha256: release.sha256 } : { sha256: release.sha256, sha512: release.sha512 },
    hardwareId: device.hardwareModel,
    // Evaluated on the device, in its merchant's zone (director custom.install_window).
    installWindow: rollout.window ? { start: rollout.window.start, end: rollout.window.end, timeZone: device.timeZone } : undefined,
  };
}
