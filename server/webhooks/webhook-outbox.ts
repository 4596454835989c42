/**
 * Queues a notification to a merchant's registered contact inside the caller's transaction:
 * the notification exists exactly when the change does, and is delivered (signed, retried)
 * by the webhook dispatcher afterwards. A merchant with no registered URL gets no row.
 *
 * The payload must already be masked: it leaves the operator's network. An account number
 * that shows no stars is refused (STW_WEBHOOK_DATA_UNMASKED, see assert-masked.ts).
 *
 * @example
 * await enqueueWebhook(trx, { merchantId: 'M1', event: 'profile.change.requested', data: { changeId, account: 'IBAN ****1234' } }, now);
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { assertMasked } from './assert-masked.js';

export interface WebhookEvent {
  readonly merchantId: string;
  readonly event: string;
  readonly data: Record<string, unknown>;
}

export async function enqueueWebhook(trx: Kysely<Database>, event: WebhookEvent, now: Date): Promise<string | undefined> {
  assertMasked(event.data);
  const merchant = await trx.selectFrom('merchants').select('webhook_url').where('id', '=', event.merchantId).executeTakeFirst();
  if (!merchant?.webhook_url) return undefined;
  const id = `whk_${randomUUID()}`;
  const body = JSON.stringify({ id, event: event.event, merchant_id: event.merchantId, created_at: now.toISOString(), data: event.data });
  await trx
    .insertInto('webhook_deliveries')
    .values({ id, merchant_id: event.merchantId, event: event.event, body, created_at: now.toISOString(), attempts: 0, next_attempt_at: now.toISOString(), delivered_at: null, last_status: null, last_error: null })
    .execute();
  return id;
}
