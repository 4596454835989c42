/** Staged rollouts: the planner the check-in calls, the operator routes, the silent-device sweep. */
export { createRolloutPlanner } from './planner.js';
export type { RolloutPlannerOptions } from './planner.js';
export { sweepTimeouts } from './sweep-timeouts.js';
export { defaultPlannerConfig, rolloutDefaults } from './rollout-config.js';
export type { PlannerConfig } from './rollout-config.js';
export { cohortHash, COHORT_SCALE } from './cohort-hash.js';
export { SILENT_DEVICE_CODE } from './progress-transitions.js';
export type { DeviceFacts, DevicePlan, PlannedImage, DeviceEventRecord, RolloutPlanner } from './rollout-planner.js';
export type { RolloutSelector } from './selector.js';
export type { RolloutTables, RolloutStatus, ProgressState } from './rollout-tables.js';
export { rolloutRoutes } from './rollout-routes.js';
export type { RolloutRoutesOptions } from './rollout-routes.js';
export type { RolloutView, PhaseView } from './rollout-view.js';
export type { HistoryView } from './rollout-history.js';
