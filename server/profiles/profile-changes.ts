/**
 * Profile changes: propose (publish at once, or wait for a second operator when sensitive),
 * approve, reject, withdraw. Every state change is one transaction: the version insert, the
 * change row, the audit entry (masked before/after) and the merchant's notification (masked)
 * commit together or not at all. At most one change per (merchant, layer) waits at a time
 * (`STW_PROFILE_CONFLICT`; also a partial unique index, migration 005).
 *
 * @example
 * const changes = new ProfileChanges({ db, clock, published: (ids) => catalog.invalidate(ids) });
 * const change = await changes.propose(principal, { merchantId: 'M1', layer: 'merchant', patch: { receipt_header: ['Cafe'] } });
 * await changes.approve(otherOperator, change.id);
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { JsonObject } from '../../manifests/index.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Principal } from '../auth/tokens.js';
import { atomically } from '../db/atomically.js';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { enqueueWebhook } from '../webhooks/webhook-outbox.js';
import { assertValid, planChange, type ChangePlan } from './change-plan.js';
import { assertMayDecide, assertMayRequest, assertMayWithdraw } from './change-rules.js';
import { toProfileChange, type ProfileChange } from './profile-change-record.js';
import { parseLayerName, type LayerName } from './profile-layers.js';
import { lockMerchants } from './merchant-lock.js';
import { maskFields, webhookAccount } from './profile-masking.js';
import { publishDefaultVersion, publishMerchantVersion } from './publish-version.js';
import type { ProfileChangeState } from './profile-tables.js';

export interface ChangeRequest {
  readonly merchantId: string | null;
  /** `default`, `merchant` or `terminal:<tid>`. */
  readonly layer: string;
  readonly patch: JsonObject;
  /** ISO-8601; absent or past: as soon as published. */
  readonly effectiveAt?: string | undefined;
}

export interface ProfileChangesOptions {
  readonly db: Kysely<Database>;
  readonly clock: () => Date;
  /** Told after a commit that published versions of these merchants (`'all'`: a default change). */
  readonly published?: (merchants: readonly string[] | 'all') => void;
}

export class ProfileChanges {
  readonly #db: Kysely<Database>;
  readonly #clock: () => Date;
  readonly #published: (merchants: readonly string[] | 'all') => void;

  constructor(options: ProfileChangesOptions) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#published = options.published ?? (() => {});
  }

  /** Dry run: what the change would do and its field-level issues; nothing is stored. */
  async preview(request: ChangeRequest): Promise<ChangePlan> {
    return planChange(this.#db, { merchantId: request.merchantId, layer: layerOf(request.layer), patch: request.patch });
  }

  async propose(principal: Principal, request: ChangeRequest): Promise<ProfileChange> {
    const layer = layerOf(request.layer);
    if (principal.scope.kind === 'merchant' && (layer.kind === 'default' || principal.scope.merchantId !== request.merchantId)) {
      throw stewardError('STW_AUTH_FORBIDDEN', 'a merchant changes only its own merchant and terminal layers');
    }
    if (principal.scope.kind === 'vendor') throw stewardError('STW_AUTH_FORBIDDEN', 'vendors do not change profiles');
    const effectiveAt = parseEffectiveAt(request.effectiveAt);
    const now = this.#clock();
    const id = `chg_${randomUUID()}`;
    const result = await atomically(
      this.#db,
      async (trx) => {
        await lockMerchants(trx, request.merchantId === null ? 'all' : [request.merchantId]);
        const plan = await planChange(trx, { merchantId: request.merchantId, layer, patch: request.patch });
        assertMayRequest(principal, plan.sensitive);
        assertValid(plan);
        const state: ProfileChangeState = plan.sensitive ? 'pending' : 'published';
        if (plan.sensitive) await assertNothingPending(trx, request.merchantId, request.layer);
        const published = plan.sensitive ? null : await this.#publish(trx, request.merchantId, plan, id, principal.actor, effectiveAt, now);
        await trx
          .insertInto('profile_changes')
          .values({
            id, merchant_id: request.merchantId, layer: request.layer, patch: JSON.stringify(request.patch), sensitive: plan.sensitive ? 1 : 0, state,
            base_version: plan.baseVersion, requested_by: principal.actor, requested_at: now.toISOString(), effective_at: effectiveAt ?? null,
            decided_by: null, decided_at: null, decision_reason: null, published_version: published,
          })
          .execute();
        const change = await this.#load(trx, id);
        const audit = { actor: principal.actor, tenantId: request.merchantId, subject: `profile-change:${id}`, before: { layer: request.layer, fields: maskFields(plan.before) } };
        await appendAudit(trx, { ...audit, action: plan.sensitive ? 'profile.change.requested' : 'profile.change.published', after: auditAfter(change) }, now);
        if (plan.sensitive) await notify(trx, change, 'profile.change.requested', now);
        return change;
      },
      { retryUniqueViolations: true },
    );
    if (result.state === 'published') this.#published(request.merchantId === null ? 'all' : [request.merchantId]);
    return result;
  }

  async approve(principal: Principal, changeId: string): Promise<ProfileChange> {
    const now = this.#clock();
    const result = await atomically(
      this.#db,
      async (trx) => {
        const found = await this.#load(trx, changeId);
        await lockMerchants(trx, found.merchantId === null ? 'all' : [found.merchantId]);
        const change = await this.#pending(trx, changeId); // read again under the lock
        await assertMayDecide(trx, principal, change);
        // Re-apply onto what is current now; the change stays pending when it no longer validates.
        const plan = await planChange(trx, { merchantId: change.merchantId, layer: layerOf(change.layer), patch: change.patch });
        assertValid(plan);
        const version = await this.#publish(trx, change.merchantId, plan, change.id, principal.actor, change.effectiveAt ?? undefined, now);
        const decided = await decide(trx, change, { state: 'published', decided_by: principal.actor, decided_at: now.toISOString(), published_version: version });
        await appendAudit(trx, { actor: principal.actor, action: 'profile.change.approved', tenantId: change.merchantId, subject: `profile-change:${change.id}`, before: { layer: change.layer, fields: maskFields(plan.before) }, after: auditAfter(decided) }, now);
        await notify(trx, decided, 'profile.change.approved', now);
        return decided;
      },
      { retryUniqueViolations: true },
    );
    this.#published(result.merchantId === null ? 'all' : [result.merchantId]);
    return result;
  }

  async reject(principal: Principal, changeId: string, reason: string): Promise<ProfileChange> {
    const now = this.#clock();
    return atomically(
      this.#db,
      async (trx) => {
        const change = await this.#pending(trx, changeId);
        await assertMayDecide(trx, principal, change);
        const decided = await decide(trx, change, { state: 'rejected', decided_by: principal.actor, decided_at: now.toISOString(), decision_reason: reason });
        await appendAudit(trx, { actor: principal.actor, action: 'profile.change.rejected', tenantId: change.merchantId, subject: `profile-change:${change.id}`, before: auditAfter(change), after: auditAfter(decided) }, now);
        await notify(trx, decided, 'profile.change.rejected', now);
        return decided;
      },
      { retryUniqueViolations: true },
    );
  }

  async withdraw(principal: Principal, changeId: string): Promise<ProfileChange> {
    const now = this.#clock();
    return atomically(
      this.#db,
      async (trx) => {
        const change = await this.#pending(trx, changeId);
        await assertMayWithdraw(trx, principal, change);
        const decided = await decide(trx, change, { state: 'withdrawn', decided_by: principal.actor, decided_at: now.toISOString() });
        await appendAudit(trx, { actor: principal.actor, action: 'profile.change.withdrawn', tenantId: change.merchantId, subject: `profile-change:${change.id}`, before: auditAfter(change), after: auditAfter(decided) }, now);
        await notify(trx, decided, 'profile.change.withdrawn', now);
        return decided;
      },
      { retryUniqueViolations: true },
    );
  }

  async find(changeId: string): Promise<ProfileChange | undefined> {
    const row = await this.#db.selectFrom('profile_changes').selectAll().where('id', '=', changeId).executeTakeFirst();
    return row && toProfileChange(row);
  }

  /** Newest first; `merchantId: null` lists default-layer changes, undefined every merchant's. */
  async list(filter: { merchantId?: string | null | undefined; state?: ProfileChangeState | undefined; before?: string | undefined; limit: number }): Promise<ProfileChange[]> {
    let query = this.#db.selectFrom('profile_changes').selectAll().orderBy('requested_at', 'desc').orderBy('id', 'desc').limit(filter.limit);
    if (filter.merchantId === null) query = query.where('merchant_id', 'is', null);
    else if (filter.merchantId !== undefined) query = query.where('merchant_id', '=', filter.merchantId);
    if (filter.state !== undefined) query = query.where('state', '=', filter.state);
    if (filter.before !== undefined) query = query.where('requested_at', '<', filter.before);
    return (await query.execute()).map(toProfileChange);
  }

  async #load(trx: Kysely<Database>, changeId: string): Promise<ProfileChange> {
    const row = await trx.selectFrom('profile_changes').selectAll().where('id', '=', changeId).executeTakeFirst();
    if (!row) throw stewardError('STW_PROFILE_CHANGE_NOT_FOUND', `no profile change ${changeId}`);
    return toProfileChange(row);
  }

  async #pending(trx: Kysely<Database>, changeId: string): Promise<ProfileChange> {
    const change = await this.#load(trx, changeId);
    if (change.state !== 'pending') throw stewardError('STW_PROFILE_CHANGE_STATE', `change ${changeId} is ${change.state}`, { state: change.state });
    return change;
  }

  /** Publishes the plan's result; returns the new version (the merchant's, or the default's). */
  async #publish(trx: Kysely<Database>, merchantId: string | null, plan: ChangePlan, changeId: string, actor: string, effectiveAt: string | undefined, now: Date): Promise<number> {
    const fields = Object.keys(plan.before);
    if (merchantId === null) {
      if (!plan.defaults) throw stewardError('STW_INTERNAL', 'a default change without default fields');
      return (await publishDefaultVersion(trx, { fields: plan.defaults, changeId, actor, effectiveAt, now, changedFields: fields })).defaults.version;
    }
    if (!plan.layers) throw stewardError('STW_INTERNAL', 'a merchant change without layers');
    return (await publishMerchantVersion(trx, { merchantId, layers: plan.layers, changeId, actor, effectiveAt, now, fields })).version;
  }
}

function layerOf(text: string): LayerName {
  const layer = parseLayerName(text);
  if (!layer) throw stewardError('STW_REQUEST_INVALID', 'layer is default, merchant or terminal:<tid>', { field: 'layer' });
  return layer;
}

function parseEffectiveAt(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  if (!Number.isFinite(time)) throw stewardError('STW_REQUEST_INVALID', 'effectiveAt is not an ISO-8601 time', { field: 'effectiveAt' });
  return new Date(time).toISOString();
}

async function assertNothingPending(trx: Kysely<Database>, merchantId: string | null, layer: string): Promise<void> {
  let query = trx.selectFrom('profile_changes').select('id').where('state', '=', 'pending').where('layer', '=', layer);
  query = merchantId === null ? query.where('merchant_id', 'is', null) : query.where('merchant_id', '=', merchantId);
  const pending = await query.executeTakeFirst();
  if (pending) throw stewardError('STW_PROFILE_CONFLICT', `change ${pending.id} to this layer is already waiting for approval; withdraw it first`, { changeId: pending.id });
}

type Decision = { state: ProfileChangeState; decided_by: string; decided_at: string; decision_reason?: string; published_version?: number };

async function decide(trx: Transaction<Database>, change: ProfileChange, decision: Decision): Promise<ProfileChange> {
  const result = await trx.updateTable('profile_changes').set(decision).where('id', '=', change.id).where('state', '=', 'pending').executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw stewardError('STW_PROFILE_CHANGE_STATE', `change ${change.id} was decided meanwhile`);
  const row = await trx.selectFrom('profile_changes').selectAll().where('id', '=', change.id).executeTakeFirstOrThrow();
  return toProfileChange(row);
}

function auditAfter(change: ProfileChange): JsonObject {
  return { layer: change.layer, state: change.state, fields: maskFields(change.patch), ...(change.publishedVersion === null ? {} : { published_version: change.publishedVersion }) };
}

/** The merchant's notification: which fields, the account only as its last digits. */
async function notify(trx: Kysely<Database>, change: ProfileChange, event: string, now: Date): Promise<void> {
  if (change.merchantId === null) return;
  const patch: JsonObject = { ...maskFields(change.patch) };
  if (Object.hasOwn(change.patch, 'settlement_account')) patch['settlement_account'] = webhookAccount(change.patch['settlement_account']);
  await enqueueWebhook(
    trx,
    {
      merchantId: change.merchantId,
      event,
      data: {
        change_id: change.id, layer: change.layer, state: change.state, sensitive: change.sensitive, fields: Object.keys(change.patch), changes: patch,
        requested_at: change.requestedAt, effective_at: change.effectiveAt, decided_at: change.decidedAt, reason: change.decisionReason, published_version: change.publishedVersion,
      },
    },
    now,
  );
}
