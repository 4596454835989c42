/**
 * Publishing, inside the caller's transaction: a new immutable merchant version (or default
 * version plus a new version for every merchant that has one, so every terminal's document
 * version grows), its audit entry, and the `profile.published` notification.
 *
 * Versions take effect in number order: a new version's `effective_at` is the latest of the
 * requested time, now, the previous version's and its default's. A change published while a
 * version is scheduled is therefore scheduled with it (it builds on that version's content).
 *
 * The merchant's latest version is read before the latest default: a concurrent default
 * change then makes this insert collide on the version key and the transaction is retried
 * (`atomically(..., { retryUniqueViolations: true })`), instead of pinning an older default.
 *
 * @example
 * const version = await publishMerchantVersion(trx, { merchantId: 'M1', layers, changeId, actor, effectiveAt: undefined, now });
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { enqueueWebhook } from '../webhooks/webhook-outbox.js';
import type { LayerFields, ProfileLayers } from './profile-layers.js';
import { serialiseLayers } from './profile-layers.js';
import { latestDefault, latestMerchantVersion, latestVersionsOfAllMerchants, type DefaultVersion, type MerchantVersion } from './profile-versions.js';

export interface PublishMerchant {
  readonly merchantId: string;
  readonly layers: ProfileLayers;
  readonly changeId: string | null;
  readonly actor: string;
  /** Requested effective time; undefined: now. */
  readonly effectiveAt: string | undefined;
  readonly now: Date;
  /** Fields that changed, for the notification. */
  readonly fields: readonly string[];
}

function latest(...times: (string | undefined)[]): string {
  return times.filter((time): time is string => time !== undefined).reduce((a, b) => (a > b ? a : b));
}

export async function publishMerchantVersion(trx: Kysely<Database>, publish: PublishMerchant): Promise<MerchantVersion> {
  const previous = await latestMerchantVersion(trx, publish.merchantId);
  const defaults = await latestDefault(trx);
  return insertMerchantVersion(trx, publish, previous, defaults);
}

async function insertMerchantVersion(trx: Kysely<Database>, publish: PublishMerchant, previous: MerchantVersion | undefined, defaults: DefaultVersion | undefined): Promise<MerchantVersion> {
  const now = publish.now.toISOString();
  const version: MerchantVersion = {
    merchantId: publish.merchantId,
    version: (previous?.version ?? 0) + 1,
    layers: publish.layers,
    defaultVersion: defaults?.version ?? null,
    changeId: publish.changeId,
    createdBy: publish.actor,
    createdAt: now,
    effectiveAt: latest(now, publish.effectiveAt, previous?.effectiveAt, defaults?.effectiveAt),
  };
  await trx
    .insertInto('profile_versions')
    .values({
      merchant_id: version.merchantId,
      version: version.version,
      layers: serialiseLayers(version.layers),
      default_version: version.defaultVersion,
      change_id: version.changeId,
      created_by: version.createdBy,
      created_at: version.createdAt,
      effective_at: version.effectiveAt,
    })
    .execute();
  await enqueueWebhook(
    trx,
    {
      merchantId: version.merchantId,
      event: 'profile.published',
      data: { version: version.version, effective_at: version.effectiveAt, scheduled: version.effectiveAt > now, change_id: version.changeId, fields: [...publish.fields] },
    },
    publish.now,
  );
  return version;
}

export interface PublishDefault {
  readonly fields: LayerFields;
  readonly changeId: string | null;
  readonly actor: string;
  readonly effectiveAt: string | undefined;
  readonly now: Date;
  readonly changedFields: readonly string[];
}

/** A new default version, and a new version (same layers) of every merchant that has one. */
export async function publishDefaultVersion(trx: Kysely<Database>, publish: PublishDefault): Promise<{ defaults: DefaultVersion; merchants: MerchantVersion[] }> {
  const merchants = await latestVersionsOfAllMerchants(trx);
  const previous = await latestDefault(trx);
  const now = publish.now.toISOString();
  const defaults: DefaultVersion = {
    version: (previous?.version ?? 0) + 1,
    fields: publish.fields,
    changeId: publish.changeId,
    createdBy: publish.actor,
    createdAt: now,
    effectiveAt: latest(now, publish.effectiveAt, previous?.effectiveAt),
  };
  await trx
    .insertInto('profile_defaults')
    .values({ version: defaults.version, fields: JSON.stringify(defaults.fields), change_id: defaults.changeId, created_by: defaults.createdBy, created_at: now, effective_at: defaults.effectiveAt })
    .execute();
  const published: MerchantVersion[] = [];
  for (const merchant of merchants) {
    const next = { merchantId: merchant.merchantId, layers: merchant.layers, changeId: publish.changeId, actor: publish.actor, effectiveAt: defaults.effectiveAt, now: publish.now, fields: publish.changedFields };
    published.push(await insertMerchantVersion(trx, next, merchant, defaults));
  }
  return { defaults, merchants: published };
}
