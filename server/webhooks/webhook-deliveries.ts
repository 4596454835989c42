/**
 * The dispatcher's queries on the outbox (`webhook_deliveries`), the same on SQLite and
 * PostgreSQL. A row is claimed with a compare-and-set on `next_attempt_at`: the UPDATE moves
 * it to the end of a lease only if it still holds the value read, so of two replicas that read
 * the same due row exactly one updates it (PostgreSQL re-evaluates the WHERE of a blocked
 * UPDATE against the committed row under READ COMMITTED; SQLite has one writer at a time).
 * The winner sends; a replica that dies mid-send leaves the row due again when the lease ends.
 *
 * @example
 * for (const row of await dueDeliveries(db, now, 20, 12)) if (await claimDelivery(db, row, leaseUntil)) send(row);
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** `next_attempt_at` of a row that will never be attempted again (gave up). */
export const NEVER = '9999-12-31T23:59:59.999Z';

export interface DueDelivery {
  readonly id: string;
  readonly merchantId: string;
  readonly event: string;
  /** The exact body to send. */
  readonly body: string;
  readonly attempts: number;
  /** As read: the value the claim compares with. */
  readonly nextAttemptAt: string;
  /** The merchant's contact at the time of reading; null when it has none (or no longer exists). */
  readonly webhookUrl: string | null;
  readonly webhookSecret: string | null;
}

export async function dueDeliveries(db: Kysely<Database>, now: Date, limit: number, maxAttempts: number): Promise<DueDelivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries as d')
    .leftJoin('merchants as m', 'm.id', 'd.merchant_id')
    .select(['d.id', 'd.merchant_id', 'd.event', 'd.body', 'd.attempts', 'd.next_attempt_at', 'm.webhook_url', 'm.webhook_secret'])
    .where('d.delivered_at', 'is', null)
    .where('d.next_attempt_at', '<=', now.toISOString())
    .where('d.attempts', '<', maxAttempts)
    .orderBy('d.next_attempt_at')
    .orderBy('d.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    merchantId: row.merchant_id,
    event: row.event,
    body: row.body,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    webhookUrl: row.webhook_url ?? null,
    webhookSecret: row.webhook_secret ?? null,
  }));
}

/** True when this caller won the row until `leaseUntil`. */
export async function claimDelivery(db: Kysely<Database>, row: DueDelivery, leaseUntil: string): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: leaseUntil })
    .where('id', '=', row.id)
    .where('next_attempt_at', '=', row.nextAttemptAt)
    .where('delivered_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** A 2xx answer, or a row closed without sending (`note`: 'no contact'). Stands even if the lease ran out. */
export async function markDelivered(db: Kysely<Database>, id: string, at: Date, outcome: { attempts: number; status: number | null; note: string | null }): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ delivered_at: at.toISOString(), attempts: outcome.attempts, last_status: outcome.status, last_error: outcome.note })
    .where('id', '=', id)
    .where('delivered_at', 'is', null)
    .execute();
}

/** A failed attempt; recorded only while this caller still holds the lease. False when it no longer does. */
export async function markFailed(
  db: Kysely<Database>,
  id: string,
  leaseUntil: string,
  outcome: { attempts: number; nextAttemptAt: string; status: number | null; error: string },
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ attempts: outcome.attempts, next_attempt_at: outcome.nextAttemptAt, last_status: outcome.status, last_error: outcome.error })
    .where('id', '=', id)
    .where('next_attempt_at', '=', leaseUntil)
    .where('delivered_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
