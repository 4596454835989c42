/**
 * Reading and writing one device's progress row. Every write is a compare-and-set on the
 * row's `revision`: of two replicas handling the same device at once, one wins and the other
 * re-reads, so a transition (and its counter delta) is applied exactly once.
 *
 * @example
 * const ok = await writeProgress(trx, { rolloutId, deviceId, revision, phaseIndex }, before, after, now);
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { counterDelta, isZero, type CounterDelta, type Progress } from './progress-transitions.js';
import type { RolloutDeviceRow, RolloutStatus } from './rollout-tables.js';
import { HotQuery } from '../db/hot-query.js';
import { LIVE_STATUSES } from './live-rollouts.js';

export interface ProgressKey {
  readonly rolloutId: string;
  readonly deviceId: string;
  readonly revision: number;
  readonly phaseIndex: number;
}

export interface DeviceProgress extends Progress {
  readonly key: ProgressKey;
  readonly rolloutStatus: RolloutStatus;
}

export function toProgress(row: Pick<RolloutDeviceRow, 'state' | 'attempts' | 'attempted' | 'outcome' | 'retry_at' | 'last_code'>): Progress {
  return { state: row.state, attempts: row.attempts, attempted: row.attempted === 1, outcome: row.outcome, retryAt: row.retry_at, lastCode: row.last_code };
}

/**
 * This device's rows that matter to a check-in: those of live rollouts, and unfinished offers
 * of rollouts since cancelled or aborted (the device must drop and acknowledge them).
 */
/** Unfinished offer states a device must still hear about after its rollout ended. */
const UNFINISHED_STATES = ['offered', 'downloading', 'installing', 'cancelled'] as const;

/** Compiled once per dialect (every check-in runs it); parameters: device id, LIVE_STATUSES, UNFINISHED_STATES. */
const deviceProgressQuery = new HotQuery(
  (db) =>
    db
      .selectFrom('rollout_devices as p')
      .innerJoin('rollouts as r', 'r.id', 'p.rollout_id')
      .selectAll('p')
      .select('r.status as rollout_status')
      .where('p.device_id', '=', '')
      .where((eb) => eb.or([eb('r.status', 'in', LIVE_STATUSES), eb('p.state', 'in', UNFINISHED_STATES)])),
  1 + LIVE_STATUSES.length + UNFINISHED_STATES.length,
);

export async function loadDeviceProgress(db: Kysely<Database>, deviceId: string): Promise<DeviceProgress[]> {
  const rows = await deviceProgressQuery.execute(db, [deviceId, ...LIVE_STATUSES, ...UNFINISHED_STATES]);
  return rows.map((row) => ({ ...toProgress(row), key: keyOf(row), rolloutStatus: row.rollout_status }));
}

export function keyOf(row: Pick<RolloutDeviceRow, 'rollout_id' | 'device_id' | 'revision' | 'phase_index'>): ProgressKey {
  return { rolloutId: row.rollout_id, deviceId: row.device_id, revision: row.revision, phaseIndex: row.phase_index };
}

/**
 * Compare-and-set `after` over the row last read as `key.revision`; false when someone else
 * changed it first. With `counters` (the default) the phase counters move by the delta in
 * the same transaction; a caller writing many rows adds the deltas itself at the end.
 */
export async function writeProgress(
  trx: Transaction<Database>,
  key: ProgressKey,
  before: Progress,
  after: Progress,
  now: Date,
  options: { counters?: boolean; reoffered?: boolean } = {},
): Promise<boolean> {
  const at = now.toISOString();
  const result = await trx
    .updateTable('rollout_devices')
    .set((eb) => ({
      state: after.state,
      attempts: after.attempts,
      attempted: after.attempted ? 1 : 0,
      outcome: after.outcome,
      retry_at: after.retryAt,
      last_code: after.lastCode,
      last_event_at: at,
      revision: eb('revision', '+', 1),
      ...(options.reoffered ? { offered_at: at } : {}),
    }))
    .where('rollout_id', '=', key.rolloutId)
    .where('device_id', '=', key.deviceId)
    .where('revision', '=', key.revision)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  if (options.counters ?? true) await addToCounters(trx, key.rolloutId, key.phaseIndex, counterDelta(before, after));
  return true;
}

/** `SET n = n + d`: atomic on both dialects, whatever other replicas add at the same time. */
export async function addToCounters(trx: Transaction<Database>, rolloutId: string, phaseIndex: number, delta: CounterDelta): Promise<void> {
  if (isZero(delta)) return;
  await trx
    .updateTable('rollout_phases')
    .set((eb) => ({
      attempted: eb('attempted', '+', delta.attempted),
      succeeded: eb('succeeded', '+', delta.succeeded),
      failed: eb('failed', '+', delta.failed),
      timed_out: eb('timed_out', '+', delta.timedOut),
    }))
    .where('rollout_id', '=', rolloutId)
    .where('phase_index', '=', phaseIndex)
    .execute();
}
