/**
 * Merchants: the id (MID), name, registered webhook contact and contract fee bounds. Created
 * and edited by operators only: the contact is where change notifications go, so a stolen
 * merchant password must not be able to redirect them. The webhook secret is generated here
 * (32 random bytes, base64url), returned once at creation and never again.
 *
 * @example
 * const { merchant, webhookSecret } = await createMerchant(db, { id: 'M1', name: 'Cafe Lumen' }, principal.actor, now);
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { isJsonObject, type ContractBounds, type JsonObject } from '../../manifests/index.js';
import { appendAudit } from '../audit/audit-log.js';
import { isMerchantId } from '../auth/scope.js';
import { atomically } from '../db/atomically.js';
import type { Database } from '../db/schema.js';
import { isUniqueViolation } from '../db/unique-violation.js';
import { stewardError } from '../errors.js';
import type { MerchantsTable } from './account-tables.js';

export interface Merchant {
  readonly id: string;
  readonly name: string;
  readonly webhookUrl: string | null;
  /** Wire form (snake_case), or null: unconstrained. */
  readonly bounds: JsonObject | null;
  readonly createdAt: string;
}

export interface NewMerchant {
  readonly id: string;
  readonly name: string;
  readonly webhookUrl?: string | null | undefined;
}

export function toMerchant(row: Selectable<MerchantsTable>): Merchant {
  const bounds: unknown = row.fee_bounds === null ? null : JSON.parse(row.fee_bounds);
  return { id: row.id, name: row.name, webhookUrl: row.webhook_url, bounds: isJsonObject(bounds) ? bounds : null, createdAt: row.created_at };
}

function checkWebhookUrl(url: string | null | undefined): void {
  if (url === null || url === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw stewardError('STW_MERCHANT_INVALID', 'webhookUrl is not a URL', { field: 'webhookUrl' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw stewardError('STW_MERCHANT_INVALID', 'webhookUrl must be http(s)', { field: 'webhookUrl' });
  if (parsed.username !== '' || parsed.password !== '') throw stewardError('STW_MERCHANT_INVALID', 'webhookUrl must not carry credentials', { field: 'webhookUrl' });
}

function contact(merchant: Pick<Merchant, 'name' | 'webhookUrl'>): JsonObject {
  return { name: merchant.name, webhook_url: merchant.webhookUrl };
}

export async function createMerchant(db: Kysely<Database>, input: NewMerchant, actor: string, now: Date): Promise<{ merchant: Merchant; webhookSecret: string }> {
  if (!isMerchantId(input.id)) throw stewardError('STW_MERCHANT_INVALID', 'a merchant id is 1-64 of A-Z a-z 0-9 . _ -', { field: 'id' });
  if (input.name.trim() === '') throw stewardError('STW_MERCHANT_INVALID', 'a merchant needs a name', { field: 'name' });
  checkWebhookUrl(input.webhookUrl);
  const webhookSecret = randomBytes(32).toString('base64url');
  const row = { id: input.id, name: input.name.trim(), webhook_url: input.webhookUrl ?? null, webhook_secret: webhookSecret, fee_bounds: null, created_at: now.toISOString() };
  try {
    await atomically(
      db,
      async (trx) => {
        if (await trx.selectFrom('merchants').select('id').where('id', '=', row.id).executeTakeFirst()) throw stewardError('STW_MERCHANT_EXISTS', `merchant ${row.id} exists`);
        await trx.insertInto('merchants').values(row).execute();
        await appendAudit(trx, { actor, action: 'merchant.created', tenantId: row.id, subject: `merchant:${row.id}`, after: { name: row.name, webhook_url: row.webhook_url } }, now);
      },
      { retryUniqueViolations: true },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw stewardError('STW_MERCHANT_EXISTS', `merchant ${row.id} exists`);
    throw error;
  }
  return { merchant: toMerchant(row), webhookSecret };
}

export async function findMerchant(db: Kysely<Database>, merchantId: string): Promise<Merchant | undefined> {
  const row = await db.selectFrom('merchants').selectAll().where('id', '=', merchantId).executeTakeFirst();
  return row && toMerchant(row);
}

export async function getMerchant(db: Kysely<Database>, merchantId: string): Promise<Merchant> {
  const merchant = await findMerchant(db, merchantId);
  if (!merchant) throw stewardError('STW_MERCHANT_UNKNOWN', `merchant ${merchantId} is not registered`);
  return merchant;
}

export async function listMerchants(db: Kysely<Database>, options: { after?: string | undefined; limit: number }): Promise<{ merchants: Merchant[]; next: string | null }> {
  let query = db.selectFrom('merchants').selectAll().orderBy('id').limit(options.limit + 1);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  const rows = await query.execute();
  const page = rows.slice(0, options.limit).map(toMerchant);
  return { merchants: page, next: rows.length > options.limit ? (page[page.length - 1]?.id ?? null) : null };
}

export async function updateMerchant(db: Kysely<Database>, merchantId: string, change: { name?: string | undefined; webhookUrl?: string | null | undefined }, actor: string, now: Date): Promise<Merchant> {
  if (change.name !== undefined && change.name.trim() === '') throw stewardError('STW_MERCHANT_INVALID', 'a merchant needs a name', { field: 'name' });
  checkWebhookUrl(change.webhookUrl);
  return atomically(
    db,
    async (trx) => {
      const before = await getMerchant(trx, merchantId);
      const set = { ...(change.name === undefined ? {} : { name: change.name.trim() }), ...(change.webhookUrl === undefined ? {} : { webhook_url: change.webhookUrl }) };
      if (Object.keys(set).length === 0) return before;
      await trx.updateTable('merchants').set(set).where('id', '=', merchantId).execute();
      const after = await getMerchant(trx, merchantId);
      await appendAudit(trx, { actor, action: 'merchant.updated', tenantId: merchantId, subject: `merchant:${merchantId}`, before: contact(before), after: contact(after) }, now);
      return after;
    },
    { retryUniqueViolations: true },
  );
}

/**
 * Replaces the merchant's webhook secret with a new random one, returned this once (a secret
 * that leaked, or a routine change). From the commit on, every attempt is signed with the new
 * secret, pending retries included (rows are signed at send time). The audit entry records
 * that it happened, never a secret.
 */
export async function rotateWebhookSecret(db: Kysely<Database>, merchantId: string, actor: string, now: Date): Promise<{ merchant: Merchant; webhookSecret: string }> {
  const webhookSecret = randomBytes(32).toString('base64url');
  const merchant = await atomically(
    db,
    async (trx) => {
      const current = await getMerchant(trx, merchantId);
      await trx.updateTable('merchants').set({ webhook_secret: webhookSecret }).where('id', '=', merchantId).execute();
      await appendAudit(trx, { actor, action: 'merchant.webhook-secret.rotated', tenantId: merchantId, subject: `merchant:${merchantId}`, after: { rotated_at: now.toISOString() } }, now);
      return current;
    },
    { retryUniqueViolations: true },
  );
  return { merchant, webhookSecret };
}

/** Contract bounds from their wire form (snake_case, as stored and as the API takes them). */
export function boundsFromWire(json: JsonObject | null): ContractBounds | undefined {
  if (json === null) return undefined;
  const range = (value: unknown) => (isJsonObject(value) ? { minBps: value['min_bps'] as number, maxBps: value['max_bps'] as number } : undefined);
  const schemes: Record<string, { minBps: number; maxBps: number }> = {};
  if (isJsonObject(json['schemes'])) for (const [name, value] of Object.entries(json['schemes'])) if (range(value)) schemes[name] = range(value) as { minBps: number; maxBps: number };
  const number = (key: string) => (typeof json[key] === 'number' ? (json[key] as number) : undefined);
  const debit = range(json['debit']);
  const credit = range(json['credit']);
  const maxFixedMinor = number('max_fixed_minor');
  const maxCapMinor = number('max_cap_minor');
  return {
    ...(debit ? { debit } : {}),
    ...(credit ? { credit } : {}),
    ...(Object.keys(schemes).length > 0 ? { schemes } : {}),
    ...(maxFixedMinor === undefined ? {} : { maxFixedMinor }),
    ...(maxCapMinor === undefined ? {} : { maxCapMinor }),
  };
}

export async function merchantBounds(db: Kysely<Database>, merchantId: string): Promise<ContractBounds | undefined> {
  return boundsFromWire((await getMerchant(db, merchantId)).bounds);
}
