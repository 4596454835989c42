export { createRolloutPlanner } from './planner.js';
export type { RolloutPlannerOptions } from './planner.js';
