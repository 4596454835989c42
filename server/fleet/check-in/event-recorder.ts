/**
 * Device events (protocol.md 3): stored once each, keyed by the device's idempotency id, and
 * the new ones handed to the rollout planner in the same transaction, so a rollout's
 * counters move exactly once per event even when the device sends it again after a lost
 * answer, or two replicas receive it.
 *
 * @example
 * const fresh = await recordEvents(db, planner, 'dev_1', body.events, now);
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DeviceEventRecord, RolloutPlanner } from '../rollouts/rollout-planner.js';
import type { ReportedEvent } from './check-in-request.js';

/** Stores `events` and returns those not seen before (already passed to the planner). */
export async function recordEvents(db: Kysely<Database>, planner: RolloutPlanner, deviceId: string, events: readonly ReportedEvent[], now: Date): Promise<ReportedEvent[]> {
  const unique = [...new Map(events.map((event) => [event.id, event])).values()];
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('device_events')
      .values(unique.map((event) => ({
        device_id: deviceId,
        id: event.id,
        kind: event.kind,
        rollout_id: event.rolloutId ?? null,
        target_path: event.targetPath ?? null,
        version: event.version ?? null,
        code: event.code ?? null,
        at: new Date(event.at).toISOString(),
        received_at: now.toISOString(),
      })))
      .onConflict((conflict) => conflict.columns(['device_id', 'id']).doNothing())
      .returning('id')
      .execute();
    const fresh = new Set(inserted.map((row) => row.id));
    const newEvents = unique.filter((event) => fresh.has(event.id));
    if (newEvents.length > 0) await planner.recordEvents(trx, deviceId, newEvents.map(toRecord), now);
    return newEvents;
  });
}

function toRecord(event: ReportedEvent): DeviceEventRecord {
  return { id: event.id, kind: event.kind, at: new Date(event.at), rolloutId: event.rolloutId, targetPath: event.targetPath, version: event.version, code: event.code };
}
