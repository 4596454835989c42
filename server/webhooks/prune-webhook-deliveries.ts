/**
 * Outbox housekeeping: notifications that are finished (delivered, or given up after the last
 * attempt) and older than the retention are deleted, so the outbox does not grow with the
 * estate's history. A row still being retried is never deleted, however old. The audit log,
 * not the outbox, is the lasting record of the changes the notifications reported.
 *
 * @example
 * const removed = await pruneWebhookDeliveries(db, now, 30 * 86_400);
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { NEVER } from './webhook-deliveries.js';

/** Deletes finished rows created more than `retentionSeconds` before `now`; returns how many (0 retention keeps all). */
export async function pruneWebhookDeliveries(db: Kysely<Database>, now: Date, retentionSeconds: number): Promise<number> {
  if (retentionSeconds <= 0) return 0;
  const cutoff = new Date(now.getTime() - retentionSeconds * 1000).toISOString();
  const result = await db
    .deleteFrom('webhook_deliveries')
    .where('created_at', '<', cutoff)
    .where((eb) => eb.or([eb('delivered_at', 'is not', null), eb('next_attempt_at', '=', NEVER)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
