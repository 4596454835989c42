/**
 * Settings of the rollout planner, and the defaults a new rollout takes for what the operator
 * leaves out. Merged once from `Partial<PlannerConfig>` in `createRolloutPlanner`.
 */
export interface PlannerConfig {
  /** How often a check-in also looks for silent devices of a rollout (seconds; one replica wins each turn). */
  readonly sweepIntervalSeconds: number;
  /** Devices timed out per look (bounds the work one check-in can be given). */
  readonly sweepBatchSize: number;
  /**
   * How long a replica may reuse the list of live rollouts (ms; 0 = read it on every check-in).
   * Counters and admissions stay exact either way; a longer reuse only delays how soon a
   * replica sees a new, paused, advanced or stopped rollout.
   */
  readonly rolloutCacheMilliseconds: number;
}

export const defaultPlannerConfig: PlannerConfig = {
  sweepIntervalSeconds: 60,
  sweepBatchSize: 200,
  rolloutCacheMilliseconds: 0,
};

export const rolloutDefaults = {
  /** Share of attempted devices that must succeed before an auto phase advances. */
  successThreshold: 0.95,
  /** Attempts a percent phase needs before its ratio counts (a count phase needs its whole count). */
  percentMinAttempted: 10,
  /** Abort once this many devices attempted... */
  abortMinAttempted: 10,
  /** ...and this share of them failed. */
  abortFailureRatio: 0.2,
  /** A device with no news this long after its offer counts as failed (seconds; 48 h). */
  silentTimeoutSeconds: 48 * 3600,
  /** Offers in all, the first included (1 = no retry). */
  retryMaxAttempts: 1,
  /** Wait before the first retry, doubled for each further one (seconds; 1 h). */
  retryBackoffSeconds: 3600,
} as const;
