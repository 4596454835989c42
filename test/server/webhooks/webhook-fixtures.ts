/**
 * Merchants and outbox rows for the webhook tests: rows are queued the way the profiles code
 * queues them (`enqueueWebhook` inside a transaction), with the settlement account masked.
 *
 * @example
 * const secret = await addMerchant(db, 'M1', receiver.url);
 * const id = await enqueue(db, 'M1');
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { maskAccount } from '../../../manifests/index.js';
import type { Database } from '../../../server/db/schema.js';
import { enqueueWebhook } from '../../../server/webhooks/index.js';

export const T0 = new Date('2026-12-01T10:00:00.000Z');
export const at = (milliseconds: number): Date => new Date(T0.getTime() + milliseconds);

/** A valid IBAN (mod 97) whose middle digits must never reach a merchant. */
export const FULL_IBAN = 'FR7630006000011234567890189';

/** Adds a merchant with a fresh secret (returned). */
export async function addMerchant(db: Kysely<Database>, id: string, webhookUrl: string | null, secret = randomBytes(32).toString('base64url')): Promise<string> {
  await db.insertInto('merchants').values({ id, name: `Merchant ${id}`, webhook_url: webhookUrl, webhook_secret: secret, fee_bounds: null, created_at: T0.toISOString() }).execute();
  return secret;
}

/** Queues one `profile.change.requested` notification at `now`; returns its id. */
export async function enqueue(db: Kysely<Database>, merchantId: string, now = T0): Promise<string> {
  const data = { change_id: `chg_${randomBytes(4).toString('hex')}`, layer: 'merchant', settlement_account: maskAccount({ type: 'iban', iban: FULL_IBAN, bic: 'BNPAFRPP' }) };
  const id = await db.transaction().execute((trx) => enqueueWebhook(trx, { merchantId, event: 'profile.change.requested', data }, now));
  if (id === undefined) throw new Error(`merchant ${merchantId} has no webhook URL`);
  return id;
}

export async function deliveryRow(db: Kysely<Database>, id: string) {
  const row = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { ...row, attempts: Number(row.attempts), last_status: row.last_status === null ? null : Number(row.last_status) };
}
