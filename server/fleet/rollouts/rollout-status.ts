/**
 * Changes of a rollout's status and phase, each one compare-and-set on the rollout row, so
 * concurrent replicas (or an operator and the server) decide it once:
 *
 *   active --pause--> paused --resume--> active
 *   active --advance (last phase)--> completed
 *   active | paused --abort (criteria met)--> aborted
 *   active | paused | completed --cancel--> cancelled
 *
 * Cancelling or aborting marks every unfinished offer `cancelled`: those devices find the
 * rollout in their director's `cancelled_rollouts` until they acknowledge.
 *
 * @example
 * if (!(await changeStatus(db, id, 'pause', now, 'operator'))) throw conflict;
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { appendHistory } from './rollout-history.js';
import type { HistoryActor, RolloutStatus } from './rollout-tables.js';
import { retryConflicts } from './retry-conflicts.js';

export type StatusChange = 'pause' | 'resume' | 'cancel' | 'abort';

const CHANGES: Record<StatusChange, { from: readonly RolloutStatus[]; to: RolloutStatus; kind: string }> = {
  pause: { from: ['active'], to: 'paused', kind: 'paused' },
  resume: { from: ['paused'], to: 'active', kind: 'resumed' },
  cancel: { from: ['active', 'paused', 'completed'], to: 'cancelled', kind: 'cancelled' },
  abort: { from: ['active', 'paused'], to: 'aborted', kind: 'aborted' },
};

/** False when the rollout is not in a status the change applies to (or does not exist). */
export async function changeStatus(db: Kysely<Database>, rolloutId: string, change: StatusChange, now: Date, actor: HistoryActor, detail?: Record<string, unknown>): Promise<boolean> {
  const { from, to, kind } = CHANGES[change];
  return retryConflicts(() =>
    db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('rollouts').set({ status: to, updated_at: now.toISOString() }).where('id', '=', rolloutId).where('status', 'in', from).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      let withdrawn = 0;
      if (to === 'cancelled' || to === 'aborted') {
        const marked = await trx
          .updateTable('rollout_devices')
          .set((eb) => ({ state: 'cancelled', retry_at: null, revision: eb('revision', '+', 1) }))
          .where('rollout_id', '=', rolloutId)
          .where('state', 'in', ['offered', 'downloading', 'installing'])
          .executeTakeFirst();
        withdrawn = Number(marked.numUpdatedRows);
      }
      await appendHistory(trx, now, [{ rolloutId, kind, actor, detail: { ...detail, ...(withdrawn > 0 ? { withdrawnOffers: withdrawn } : {}) } }]);
      return true;
    }),
  );
}

/**
 * Moves an active rollout from phase `fromPhase` to the next, or completes it after the last.
 * The cohort share grows when the next phase is a percent phase.
 */
export async function advancePhase(db: Kysely<Database>, rolloutId: string, fromPhase: number, now: Date, actor: HistoryActor): Promise<'advanced' | 'completed' | false> {
  const at = now.toISOString();
  return retryConflicts(() =>
    db.transaction().execute(async (trx) => {
      const phases = await trx.selectFrom('rollout_phases').select(['phase_index', 'kind', 'value']).where('rollout_id', '=', rolloutId).orderBy('phase_index').execute();
      const next = phases[fromPhase + 1];
      const guarded = trx.updateTable('rollouts').where('id', '=', rolloutId).where('status', '=', 'active').where('current_phase', '=', fromPhase);
      const result = next
        ? await guarded.set({ current_phase: next.phase_index, updated_at: at, ...(next.kind === 'percent' ? { cohort_bp: next.value, cohort_phase: next.phase_index } : {}) }).executeTakeFirst()
        : await guarded.set({ status: 'completed', updated_at: at }).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await trx.updateTable('rollout_phases').set({ ended_at: at }).where('rollout_id', '=', rolloutId).where('phase_index', '=', fromPhase).execute();
      if (next) await trx.updateTable('rollout_phases').set({ started_at: at }).where('rollout_id', '=', rolloutId).where('phase_index', '=', next.phase_index).execute();
      await appendHistory(trx, now, [next ? { rolloutId, kind: 'advanced', actor, phaseIndex: next.phase_index, detail: { from: fromPhase, to: next.phase_index } } : { rolloutId, kind: 'completed', actor, phaseIndex: fromPhase }]);
      return next ? 'advanced' : 'completed';
    }),
  );
}
