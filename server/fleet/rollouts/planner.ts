/**
 * The rollout planner the check-in and director code call (the `RolloutPlanner` seam).
 * Stateless: every replica may hold one; all coordination is in the database.
 *
 * @example
 * const planner = createRolloutPlanner({ config: { sweepIntervalSeconds: 30 } });
 * const plan = await planner.planFor(db, facts, now);        // images + cancelledRollouts
 * await planner.recordEvents(db, facts.deviceId, newEvents, now);
 */
import { planFor } from './plan-for.js';
import { recordDeviceEvents } from './record-events.js';
import { defaultPlannerConfig, type PlannerConfig } from './rollout-config.js';
import type { RolloutPlanner } from './rollout-planner.js';

export interface RolloutPlannerOptions {
  readonly config?: Partial<PlannerConfig>;
}

export function createRolloutPlanner(options: RolloutPlannerOptions = {}): RolloutPlanner {
  const config: PlannerConfig = { ...defaultPlannerConfig, ...options.config };
  return {
    planFor: (db, device, now) => planFor(db, device, now, config),
    recordEvents: (db, deviceId, events, now) => recordDeviceEvents(db, deviceId, events, now),
  };
}
