/**
 * Changes of a rollout's status and phase, each one compare-and-set on the rollout row, so
 * concurrent replicas (or an operator and the server) decide it once:
 *
 *   active --pause--> paused --resume--> active
 *   active --advance (last phase)--> completed
 *   active | paused --abort (criteria met)--> aborted
 *   active | paused | completed --cancel--> cancelled
 *
 * Each touches only the rollout row (and appends history): the rows of devices and phases are
 * left to the check-ins, which take them device row first, phase row next, rollout row last;
 * nothing here waits for a lock while holding one they need. A device with an unfinished
 * offer of a cancelled or aborted rollout is told so at its next check-in (plan-for.ts).
 *
 * @example
 * if (!(await changeStatus(db, id, 'pause', now, 'operator'))) throw conflict;
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { toNumber } from '../../db/to-number.js';
import { appendHistory } from './rollout-history.js';
import type { HistoryActor, RolloutStatus } from './rollout-tables.js';
import { atomically } from '../../db/atomically.js';

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
  const at = now.toISOString();
  const ends = to === 'cancelled' || to === 'aborted';
  return atomically(db, async (trx) => {
    const result = await trx
      .updateTable('rollouts')
      .set({ status: to, updated_at: at, ...(ends ? { ended_at: at } : {}) })
      .where('id', '=', rolloutId)
      .where('status', 'in', from)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    const unfinished = ends ? await unfinishedOffers(trx, rolloutId) : 0;
    await appendHistory(trx, now, [{ rolloutId, kind, actor, detail: { ...detail, ...(ends ? { unfinishedOffers: unfinished } : {}) } }]);
    return true;
  });
}

/**
 * Moves an active rollout from phase `fromPhase` to the next, or completes it after the last.
 * The cohort share grows when the next phase is a percent phase.
 */
export async function advancePhase(db: Kysely<Database>, rolloutId: string, fromPhase: number, now: Date, actor: HistoryActor): Promise<'advanced' | 'completed' | false> {
  const at = now.toISOString();
  return atomically(db, async (trx) => {
    const rollout = await trx.selectFrom('rollouts').select(['phase_started_at']).where('id', '=', rolloutId).executeTakeFirst();
    if (!rollout) return false;
    const next = await trx.selectFrom('rollout_phases').select(['phase_index', 'kind', 'value']).where('rollout_id', '=', rolloutId).where('phase_index', '=', fromPhase + 1).executeTakeFirst();
    // The guard on current_phase also keeps phase_started_at as read: it only changes with the phase.
    const guarded = trx.updateTable('rollouts').where('id', '=', rolloutId).where('status', '=', 'active').where('current_phase', '=', fromPhase);
    const started = [...(JSON.parse(rollout.phase_started_at) as string[]).slice(0, fromPhase + 1), at];
    const result = next
      ? await guarded
          .set({ current_phase: next.phase_index, phase_started_at: JSON.stringify(started), updated_at: at, ...(next.kind === 'percent' ? { cohort_bp: next.value, cohort_phase: next.phase_index } : {}) })
          .executeTakeFirst()
      : await guarded.set({ status: 'completed', ended_at: at, updated_at: at }).executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await appendHistory(trx, now, [next ? { rolloutId, kind: 'advanced', actor, phaseIndex: next.phase_index, detail: { from: fromPhase, to: next.phase_index } } : { rolloutId, kind: 'completed', actor, phaseIndex: fromPhase }]);
    return next ? 'advanced' : 'completed';
  });
}

async function unfinishedOffers(trx: Kysely<Database>, rolloutId: string): Promise<number> {
  const row = await trx
    .selectFrom('rollout_devices')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('rollout_id', '=', rolloutId)
    .where('state', 'in', ['offered', 'downloading', 'installing'])
    .executeTakeFirstOrThrow();
  return toNumber(row.n);
}
