/**
 * Reading profile versions: the operator default layer's (`profile_defaults`) and each
 * merchant's (`profile_versions`). Both are insert-only (migration 005 refuses UPDATE and
 * DELETE). "Effective" = the newest version whose `effective_at` has come; versions take effect
 * in number order (see publish-version.ts), so that is also the highest such number.
 *
 * @example
 * const current = await effectiveMerchantVersion(db, 'M1', now); // undefined: nothing served yet
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.js';
import { parseFields, parseLayers, type LayerFields, type ProfileLayers } from './profile-layers.js';
import type { ProfileDefaultsTable, ProfileVersionsTable } from './profile-tables.js';

export interface MerchantVersion {
  readonly merchantId: string;
  readonly version: number;
  readonly layers: ProfileLayers;
  /** The operator default version it resolves against; null: there was none. */
  readonly defaultVersion: number | null;
  readonly changeId: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly effectiveAt: string;
}

export interface DefaultVersion {
  readonly version: number;
  readonly fields: LayerFields;
  readonly changeId: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly effectiveAt: string;
}

export function toMerchantVersion(row: Selectable<ProfileVersionsTable>): MerchantVersion {
  return {
    merchantId: row.merchant_id,
    version: Number(row.version),
    layers: parseLayers(row.layers),
    defaultVersion: row.default_version === null ? null : Number(row.default_version),
    changeId: row.change_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    effectiveAt: row.effective_at,
  };
}

function toDefaultVersion(row: Selectable<ProfileDefaultsTable>): DefaultVersion {
  return { version: Number(row.version), fields: parseFields(row.fields), changeId: row.change_id, createdBy: row.created_by, createdAt: row.created_at, effectiveAt: row.effective_at };
}

/** The newest version, scheduled or not: what the next change builds on. */
export async function latestMerchantVersion(db: Kysely<Database>, merchantId: string): Promise<MerchantVersion | undefined> {
  const row = await db.selectFrom('profile_versions').selectAll().where('merchant_id', '=', merchantId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row && toMerchantVersion(row);
}

export async function effectiveMerchantVersion(db: Kysely<Database>, merchantId: string, now: Date): Promise<MerchantVersion | undefined> {
  const row = await db
    .selectFrom('profile_versions')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('effective_at', '<=', now.toISOString())
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toMerchantVersion(row);
}

export async function merchantVersion(db: Kysely<Database>, merchantId: string, version: number): Promise<MerchantVersion | undefined> {
  const row = await db.selectFrom('profile_versions').selectAll().where('merchant_id', '=', merchantId).where('version', '=', version).executeTakeFirst();
  return row && toMerchantVersion(row);
}

export async function listMerchantVersions(db: Kysely<Database>, merchantId: string, options: { before?: number; limit: number }): Promise<MerchantVersion[]> {
  let query = db.selectFrom('profile_versions').selectAll().where('merchant_id', '=', merchantId).orderBy('version', 'desc').limit(options.limit);
  if (options.before !== undefined) query = query.where('version', '<', options.before);
  return (await query.execute()).map(toMerchantVersion);
}

/** Versions not yet in effect, oldest first. */
export async function scheduledMerchantVersions(db: Kysely<Database>, merchantId: string, now: Date): Promise<MerchantVersion[]> {
  const rows = await db.selectFrom('profile_versions').selectAll().where('merchant_id', '=', merchantId).where('effective_at', '>', now.toISOString()).orderBy('version', 'asc').execute();
  return rows.map(toMerchantVersion);
}

/** The latest version of every merchant that has one. */
export async function latestVersionsOfAllMerchants(db: Kysely<Database>): Promise<MerchantVersion[]> {
  const rows = await db
    .selectFrom('profile_versions as v')
    .innerJoin(
      (eb) => eb.selectFrom('profile_versions').select(['merchant_id']).select((e) => e.fn.max('version').as('latest')).groupBy('merchant_id').as('m'),
      (join) => join.onRef('m.merchant_id', '=', 'v.merchant_id').onRef('m.latest', '=', 'v.version'),
    )
    .selectAll('v')
    .orderBy('v.merchant_id')
    .execute();
  return rows.map(toMerchantVersion);
}

export async function latestDefault(db: Kysely<Database>): Promise<DefaultVersion | undefined> {
  const row = await db.selectFrom('profile_defaults').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row && toDefaultVersion(row);
}

export async function effectiveDefault(db: Kysely<Database>, now: Date): Promise<DefaultVersion | undefined> {
  const row = await db.selectFrom('profile_defaults').selectAll().where('effective_at', '<=', now.toISOString()).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row && toDefaultVersion(row);
}

export async function defaultVersion(db: Kysely<Database>, version: number | null): Promise<DefaultVersion | undefined> {
  if (version === null) return undefined;
  const row = await db.selectFrom('profile_defaults').selectAll().where('version', '=', version).executeTakeFirst();
  return row && toDefaultVersion(row);
}

export async function listDefaults(db: Kysely<Database>, limit: number): Promise<DefaultVersion[]> {
  return (await db.selectFrom('profile_defaults').selectAll().orderBy('version', 'desc').limit(limit).execute()).map(toDefaultVersion);
}

/** The default layer's fields a merchant version resolves against ({} when it has none). */
export async function defaultsOf(db: Kysely<Database>, version: MerchantVersion): Promise<LayerFields> {
  return (await defaultVersion(db, version.defaultVersion))?.fields ?? {};
}
