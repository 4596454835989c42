/**
 * The rollout's own decisions, taken after its counters moved:
 *
 * - abort when at least `abort_min_attempted` devices attempted and failed / attempted
 *   reaches `abort_failure_ratio` (over all phases; while active or paused);
 * - otherwise, for an active rollout whose current phase advances automatically: advance
 *   when the phase has `min_attempted` attempts and succeeded / attempted reaches its
 *   threshold; after the last phase the rollout is completed.
 *
 * Ratios compare in integers (`failed * 10000 >= ratio_bp * attempted`), so a threshold is
 * met exactly when it is reached. Each decision is a compare-and-set (rollout-status.ts):
 * replicas evaluating together take it once.
 *
 * @example
 * const decision = await evaluateRollout(db, rolloutId, now); // 'aborted' | 'advanced' | 'completed' | 'none'
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { BASIS_POINTS } from './basis-points.js';
import { advancePhase, changeStatus } from './rollout-status.js';

export type RolloutDecision = 'aborted' | 'advanced' | 'completed' | 'none';

export async function evaluateRollout(db: Kysely<Database>, rolloutId: string, now: Date): Promise<RolloutDecision> {
  const rollout = await db
    .selectFrom('rollouts')
    .select(['status', 'current_phase', 'abort_min_attempted', 'abort_failure_ratio_bp'])
    .where('id', '=', rolloutId)
    .executeTakeFirst();
  if (!rollout || (rollout.status !== 'active' && rollout.status !== 'paused')) return 'none';
  const phases = await db.selectFrom('rollout_phases').selectAll().where('rollout_id', '=', rolloutId).orderBy('phase_index').execute();
  const attempted = phases.reduce((n, phase) => n + phase.attempted, 0);
  const failed = phases.reduce((n, phase) => n + phase.failed, 0);
  if (attempted >= rollout.abort_min_attempted && failed * BASIS_POINTS >= rollout.abort_failure_ratio_bp * attempted) {
    const detail = { attempted, failed, failureRatio: failed / attempted, abortFailureRatio: rollout.abort_failure_ratio_bp / BASIS_POINTS };
    return (await changeStatus(db, rolloutId, 'abort', now, 'server', detail)) ? 'aborted' : 'none';
  }
  const phase = phases[rollout.current_phase];
  if (rollout.status !== 'active' || !phase || phase.advance !== 'auto') return 'none';
  const ready = phase.attempted >= Math.max(1, phase.min_attempted) && phase.succeeded * BASIS_POINTS >= phase.success_threshold_bp * phase.attempted;
  if (!ready) return 'none';
  return (await advancePhase(db, rolloutId, phase.phase_index, now, 'server')) || 'none';
}
