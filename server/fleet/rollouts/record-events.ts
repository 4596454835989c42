/**
 * Device events (protocol.md section 3) into rollout progress (the planner's `recordEvents`).
 *
 * Per rollout the device's events are folded, in order, through the progress state machine
 * (progress-transitions.ts); the result is written with a compare-and-set on the row's
 * revision together with the counter delta and the history entries, in one transaction (the
 * caller's, when `db` is one: the check-in stores the events and calls this in a single
 * transaction). A lost compare-and-set (another replica, a sweep, a withdrawal) re-reads and
 * folds again, so every device outcome is counted exactly once. Then the rollout evaluates
 * its criteria (rollout row only, taken last: see rollout-status.ts).
 *
 * An event names its rollout (`rolloutId`, echoed from the director target); one without it
 * is matched by `targetPath` to this device's latest offer of that target. Events for
 * rollouts that never offered to this device, and profile events, are not rollout business.
 *
 * @example
 * await recordDeviceEvents(db, 'dev_1', [{ id, kind: 'committed', at, rolloutId: 'rol_1', code: null }], now);
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { stewardError } from '../../errors.js';
import { keyOf, toProgress, writeProgress } from './device-progress.js';
import { evaluateRollout } from './evaluate-rollout.js';
import { applyInput, counterDelta, isZero } from './progress-transitions.js';
import { appendHistory, type HistoryEntry } from './rollout-history.js';
import type { DeviceEventRecord } from './rollout-planner.js';
import { atomically } from '../../db/atomically.js';

const ROLLOUT_EVENTS = new Set(['offered', 'download-started', 'downloaded', 'install-started', 'committed', 'rolled-back', 'rejected', 'cancel-acknowledged']);
const MAX_RACES = 10;

export async function recordDeviceEvents(db: Kysely<Database>, deviceId: string, events: readonly DeviceEventRecord[], now: Date): Promise<void> {
  const byRollout = new Map<string, DeviceEventRecord[]>();
  for (const event of events) {
    if (!ROLLOUT_EVENTS.has(event.kind)) continue;
    const rolloutId = event.rolloutId ?? (event.targetPath === undefined ? undefined : await latestOfferOf(db, deviceId, event.targetPath));
    if (rolloutId === undefined) continue;
    byRollout.set(rolloutId, [...(byRollout.get(rolloutId) ?? []), event]);
  }
  // In rollout order: a caller's transaction covering several rollouts takes their rows in one order.
  for (const [rolloutId, group] of [...byRollout].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (await applyGroup(db, rolloutId, deviceId, group, now)) await evaluateRollout(db, rolloutId, now);
  }
}

/** True when the counters moved. */
async function applyGroup(db: Kysely<Database>, rolloutId: string, deviceId: string, events: readonly DeviceEventRecord[], now: Date): Promise<boolean> {
  for (let race = 0; race < MAX_RACES; race++) {
    const row = await db
      .selectFrom('rollout_devices as p')
      .innerJoin('rollouts as r', 'r.id', 'p.rollout_id')
      .selectAll('p')
      .select(['r.target_path', 'r.retry_max_attempts', 'r.retry_backoff_seconds'])
      .where('p.rollout_id', '=', rolloutId)
      .where('p.device_id', '=', deviceId)
      .executeTakeFirst();
    if (!row) return false;
    const context = { now, retry: { maxAttempts: row.retry_max_attempts, backoffSeconds: row.retry_backoff_seconds } };
    const before = toProgress(row);
    let after = before;
    const history: HistoryEntry[] = [];
    for (const event of events) {
      const relevant = event.targetPath === undefined || event.targetPath === row.target_path;
      const next = relevant ? applyInput(after, { kind: 'event', event: event.kind, code: event.code ?? null }, context) : undefined;
      if (next) after = next;
      const detail = { eventId: event.id, ...(event.targetPath === undefined ? {} : { targetPath: event.targetPath }), ...(event.version === undefined ? {} : { version: event.version }), ...(next ? { state: next.state } : { ignored: true }) };
      history.push({ rolloutId, kind: event.kind, actor: 'device', deviceId, phaseIndex: row.phase_index, code: event.code ?? null, detail, at: event.at });
    }
    const written = await atomically(db, async (trx) => {
      if (!(await writeProgress(trx, keyOf(row), before, after, now))) return false;
      await appendHistory(trx, now, history);
      return true;
    });
    if (written) return !isZero(counterDelta(before, after));
  }
  throw stewardError('STW_UNAVAILABLE', `progress of ${deviceId} in ${rolloutId} kept changing; try again`);
}

async function latestOfferOf(db: Kysely<Database>, deviceId: string, targetPath: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('rollout_devices as p')
    .innerJoin('rollouts as r', 'r.id', 'p.rollout_id')
    .select('p.rollout_id')
    .where('p.device_id', '=', deviceId)
    .where('r.target_path', '=', targetPath)
    .orderBy('p.offered_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.rollout_id;
}
