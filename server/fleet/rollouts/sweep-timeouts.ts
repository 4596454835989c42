/**
 * Silent devices: an offered device with no news for the rollout's timeout counts as failed
 * (outcome `timed-out`, code STW_ROLLOUT_DEVICE_SILENT); it may be retried like any failure.
 *
 * Two ways in, both bounded: a check-in looks at most every `sweepIntervalSeconds` per
 * rollout (the replica whose compare-and-set on `timeouts_checked_at` wins does the look,
 * `sweepBatchSize` devices at most), and `sweepTimeouts(db, now)` can run on a timer.
 * Each device is timed out by a compare-and-set on its row, so concurrent sweeps and events
 * never count one twice; rows are locked in device order and counters last, so replicas
 * sweeping together do not deadlock each other or the event writers.
 *
 * @example
 * setInterval(() => void sweepTimeouts(db, new Date()), 60_000).unref();
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { addToCounters, keyOf, toProgress, writeProgress } from './device-progress.js';
import { evaluateRollout } from './evaluate-rollout.js';
import { LIVE_STATUSES, type LiveRollout } from './live-rollouts.js';
import { applyInput, counterDelta, type CounterDelta, type RetryPolicy } from './progress-transitions.js';
import { defaultPlannerConfig, type PlannerConfig } from './rollout-config.js';
import { appendHistory, type HistoryEntry } from './rollout-history.js';
import { atomically } from '../../db/atomically.js';

interface SweepTarget {
  readonly id: string;
  readonly silentTimeoutSeconds: number;
  readonly retry: RetryPolicy;
}

/** Times out every silent device of every live rollout; returns how many. */
export async function sweepTimeouts(db: Kysely<Database>, now: Date, config: Partial<PlannerConfig> = {}): Promise<number> {
  const batch = config.sweepBatchSize ?? defaultPlannerConfig.sweepBatchSize;
  const rows = await db
    .selectFrom('rollouts')
    .select(['id', 'silent_timeout_seconds', 'retry_max_attempts', 'retry_backoff_seconds'])
    .where('status', 'in', LIVE_STATUSES)
    .execute();
  let total = 0;
  for (const row of rows) {
    const target = { id: row.id, silentTimeoutSeconds: row.silent_timeout_seconds, retry: { maxAttempts: row.retry_max_attempts, backoffSeconds: row.retry_backoff_seconds } };
    let swept = 0;
    for (let count = batch; count === batch; swept += count) count = await sweepRollout(db, target, now, batch);
    if (swept > 0) await evaluateRollout(db, row.id, now);
    total += swept;
  }
  return total;
}

/**
 * The check-in's share: rollouts due for a look get one batch each. True when any device
 * timed out. `looked` remembers this replica's own attempts (won or lost), so a replica that
 * reuses an older copy of the rollout row does not try to claim on every check-in.
 */
export async function sweepDueRollouts(db: Kysely<Database>, rollouts: readonly LiveRollout[], now: Date, config: PlannerConfig, looked: Map<string, string>): Promise<boolean> {
  const dueBefore = new Date(now.getTime() - config.sweepIntervalSeconds * 1000).toISOString();
  let any = false;
  for (const rollout of rollouts) {
    const mine = looked.get(rollout.id);
    const last = mine !== undefined && (rollout.timeoutsCheckedAt === null || mine > rollout.timeoutsCheckedAt) ? mine : rollout.timeoutsCheckedAt;
    if (last !== null && last > dueBefore) continue;
    looked.set(rollout.id, now.toISOString());
    const claim = await db
      .updateTable('rollouts')
      .set({ timeouts_checked_at: now.toISOString() })
      .where('id', '=', rollout.id)
      .where((eb) => (rollout.timeoutsCheckedAt === null ? eb('timeouts_checked_at', 'is', null) : eb('timeouts_checked_at', '=', rollout.timeoutsCheckedAt)))
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) continue; // another replica is looking
    if ((await sweepRollout(db, rollout, now, config.sweepBatchSize)) > 0) {
      await evaluateRollout(db, rollout.id, now);
      any = true;
    }
  }
  return any;
}

/** One batch of one rollout; returns how many devices this call timed out. */
async function sweepRollout(db: Kysely<Database>, rollout: SweepTarget, now: Date, limit: number): Promise<number> {
  const cutoff = new Date(now.getTime() - rollout.silentTimeoutSeconds * 1000).toISOString();
  const silent = await db
    .selectFrom('rollout_devices')
    .selectAll()
    .where('rollout_id', '=', rollout.id)
    .where('state', 'in', ['offered', 'downloading', 'installing'])
    .where('last_event_at', '<', cutoff)
    .orderBy('last_event_at')
    .limit(limit)
    .execute();
  if (silent.length === 0) return 0;
  silent.sort((a, b) => (a.device_id < b.device_id ? -1 : a.device_id > b.device_id ? 1 : 0));
  return atomically(db, async (trx) => {
    const deltas = new Map<number, CounterDelta>();
    const history: HistoryEntry[] = [];
    for (const row of silent) {
      const before = toProgress(row);
      const after = applyInput(before, { kind: 'timeout' }, { now, retry: rollout.retry });
      if (!after || !(await writeProgress(trx, keyOf(row), before, after, now, { counters: false }))) continue;
      deltas.set(row.phase_index, sum(deltas.get(row.phase_index), counterDelta(before, after)));
      history.push({ rolloutId: rollout.id, kind: 'timed-out', actor: 'server', deviceId: row.device_id, phaseIndex: row.phase_index, code: after.lastCode, detail: { lastEventAt: row.last_event_at, retryAt: after.retryAt } });
    }
    for (const [phaseIndex, delta] of [...deltas].sort(([a], [b]) => a - b)) await addToCounters(trx, rollout.id, phaseIndex, delta);
    await appendHistory(trx, now, history);
    return history.length;
  });
}

function sum(a: CounterDelta | undefined, b: CounterDelta): CounterDelta {
  if (!a) return b;
  return { attempted: a.attempted + b.attempted, succeeded: a.succeeded + b.succeeded, failed: a.failed + b.failed, timedOut: a.timedOut + b.timedOut };
}
