/**
 * Offering a rollout's release to a device: the first offer (admission into a phase), the
 * re-offer of a retry, and telling it a stopped rollout's offer is withdrawn. Each is one
 * short transaction.
 *
 * - Hash cohort: the device counts in the latest percent phase reached; `admitted` grows by one.
 * - Count phase: `UPDATE ... SET admitted = admitted + 1 WHERE ... AND admitted < value`: of any
 *   number of concurrent check-ins, on any number of replicas, at most `value` get a row.
 * - The progress row is inserted first, with ON CONFLICT DO NOTHING: a device checking in
 *   twice at once is offered and counted once; a row whose count filled up meanwhile is
 *   deleted again in the same transaction. (No rollback is needed, so this also runs inside
 *   a caller's transaction.)
 *
 * @example
 * if (await admit(db, rollout, device.deviceId, 'count', now)) images.push(imageFor(rollout, device));
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { writeProgress, type DeviceProgress } from './device-progress.js';
import type { LiveRollout } from './live-rollouts.js';
import { applyInput } from './progress-transitions.js';
import { appendHistory } from './rollout-history.js';
import { atomically } from '../../db/atomically.js';

export type AdmissionRoute = 'cohort' | 'count';

/** True when the device now holds an offer of this rollout (made here or concurrently). */
export async function admit(db: Kysely<Database>, rollout: LiveRollout, deviceId: string, via: AdmissionRoute, now: Date): Promise<boolean> {
  const phaseIndex = via === 'cohort' ? rollout.cohortPhase : rollout.currentPhase.index;
  if (phaseIndex === null) return false;
  const at = now.toISOString();
  return atomically(db, async (trx) => {
    const inserted = await trx
      .insertInto('rollout_devices')
      .values({ rollout_id: rollout.id, device_id: deviceId, phase_index: phaseIndex, state: 'offered', attempts: 1, revision: 0, attempted: 0, outcome: null, offered_at: at, last_event_at: at, retry_at: null, last_code: null })
      .onConflict((conflict) => conflict.columns(['rollout_id', 'device_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows) !== 1) return true; // a concurrent check-in of this device offered it
    let counted = trx
      .updateTable('rollout_phases')
      .set((eb) => ({ admitted: eb('admitted', '+', 1) }))
      .where('rollout_id', '=', rollout.id)
      .where('phase_index', '=', phaseIndex);
    if (via === 'count') counted = counted.where('kind', '=', 'count').where((eb) => eb('admitted', '<', eb.ref('value')));
    if (Number((await counted.executeTakeFirst()).numUpdatedRows) !== 1) {
      // The count filled up meanwhile: take the row back (same transaction, so no one saw it).
      await trx.deleteFrom('rollout_devices').where('rollout_id', '=', rollout.id).where('device_id', '=', deviceId).execute();
      return false;
    }
    await appendHistory(trx, now, [{ rolloutId: rollout.id, kind: 'offered', actor: 'server', deviceId, phaseIndex, detail: { attempt: 1, via } }]);
    return true;
  });
}

/** Offer again after a failure, once the back-off has passed; true when the device now holds the offer. */
export async function reoffer(db: Kysely<Database>, progress: DeviceProgress, rollout: LiveRollout, now: Date): Promise<boolean> {
  const next = applyInput(progress, { kind: 'retry' }, { now, retry: rollout.retry });
  if (!next) return false;
  return atomically(db, async (trx) => {
    // Changed meanwhile (re-offered, cancelled...): the next check-in reads what it became.
    if (!(await writeProgress(trx, progress.key, progress, next, now, { reoffered: true }))) return false;
    const { rolloutId, deviceId, phaseIndex } = progress.key;
    await appendHistory(trx, now, [{ rolloutId, kind: 'retry-offered', actor: 'server', deviceId, phaseIndex, detail: { attempt: next.attempts } }]);
    return true;
  });
}

/** The rollout stopped: record that this device is being told to drop its unfinished offer. */
export async function withdraw(db: Kysely<Database>, progress: DeviceProgress, now: Date): Promise<void> {
  const next = applyInput(progress, { kind: 'withdraw' }, { now, retry: { maxAttempts: 1, backoffSeconds: 0 } });
  if (!next) return;
  await atomically(db, async (trx) => {
    if (!(await writeProgress(trx, progress.key, progress, next, now))) return; // it moved on; listed or not by what it became
    const { rolloutId, deviceId, phaseIndex } = progress.key;
    await appendHistory(trx, now, [{ rolloutId, kind: 'cancel-sent', actor: 'server', deviceId, phaseIndex, detail: { rolloutStatus: progress.rolloutStatus } }]);
  });
}
