/**
 * The rollout planner the check-in and director code call (the `RolloutPlanner` seam).
 * Every replica holds its own; all coordination is in the database (a planner keeps only
 * hints: an optional short-lived copy of the live rollouts, and when it last looked for
 * silent devices).
 *
 * @example
 * const planner = createRolloutPlanner({ config: { sweepIntervalSeconds: 30 } });
 * const plan = await planner.planFor(db, facts, now);        // images + cancelledRollouts
 * await planner.recordEvents(db, facts.deviceId, newEvents, now);
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { loadLiveRollouts, type LiveRollout } from './live-rollouts.js';
import { planFor, type LiveRolloutSource, type PlannerState } from './plan-for.js';
import { recordDeviceEvents } from './record-events.js';
import { defaultPlannerConfig, type PlannerConfig } from './rollout-config.js';
import type { RolloutPlanner } from './rollout-planner.js';

export interface RolloutPlannerOptions {
  readonly config?: Partial<PlannerConfig>;
}

export function createRolloutPlanner(options: RolloutPlannerOptions = {}): RolloutPlanner {
  const config: PlannerConfig = { ...defaultPlannerConfig, ...options.config };
  const state: PlannerState = {
    source: config.rolloutCacheMilliseconds > 0 ? cachedSource(config.rolloutCacheMilliseconds) : loadLiveRollouts,
    looked: new Map(),
  };
  return {
    planFor: (db, device, now) => planFor(db, device, now, config, state),
    recordEvents: (db, deviceId, events, now) => recordDeviceEvents(db, deviceId, events, now),
  };
}

/** Reuses one read of the live rollouts per database handle for `ttl` ms (wall clock: it is a cache, not a rule). */
function cachedSource(ttl: number): LiveRolloutSource {
  const cache = new WeakMap<Kysely<Database>, { until: number; rollouts: Promise<readonly LiveRollout[]> }>();
  return (db, { fresh }) => {
    const hit = cache.get(db);
    if (!fresh && hit && hit.until > performance.now()) return hit.rollouts;
    const rollouts = loadLiveRollouts(db);
    cache.set(db, { until: performance.now() + ttl, rollouts });
    rollouts.catch(() => cache.delete(db));
    return rollouts;
  };
}
