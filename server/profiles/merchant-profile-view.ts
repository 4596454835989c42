/**
 * What the merchant and operator see of a merchant's profile: the effective version (the
 * merchant-level resolved profile, its layers, masked), versions scheduled for later, changes
 * waiting for approval, and adoption across the merchant's terminals.
 *
 * @example
 * const view = await merchantProfileView(db, 'M1', now, offlineBefore);
 */
import type { Kysely } from 'kysely';
import type { JsonObject } from '../../manifests/index.js';
import type { Database } from '../db/schema.js';
import { profileAdoption, type Adoption } from './adoption.js';
import { changeView } from './profile-change-record.js';
import { toProfileChange } from './profile-change-record.js';
import { maskFields, maskLayers } from './profile-masking.js';
import { defaultsOf, effectiveMerchantVersion, scheduledMerchantVersions, type MerchantVersion } from './profile-versions.js';
import { resolveProfile } from './resolve-profile.js';

export interface VersionSummary {
  readonly version: number;
  readonly effectiveAt: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly changeId: string | null;
  readonly defaultVersion: number | null;
  readonly status: 'current' | 'scheduled' | 'superseded';
}

export function versionSummary(version: MerchantVersion, current: number | null, now: Date): VersionSummary {
  const status = version.effectiveAt > now.toISOString() ? 'scheduled' : version.version === current ? 'current' : 'superseded';
  return { version: version.version, effectiveAt: version.effectiveAt, createdAt: version.createdAt, createdBy: version.createdBy, changeId: version.changeId, defaultVersion: version.defaultVersion, status };
}

/** A version in full, masked: its merchant-level resolved profile and its layers. */
export async function versionDetail(db: Kysely<Database>, version: MerchantVersion, current: number | null, now: Date): Promise<Record<string, unknown>> {
  const defaults = await defaultsOf(db, version);
  const profile: JsonObject = resolveProfile(defaults, version.layers, { merchantId: version.merchantId, terminalId: undefined, version: version.version });
  return { ...versionSummary(version, current, now), profile: maskFields(profile), layers: maskLayers(version.layers) };
}

export async function merchantProfileView(db: Kysely<Database>, merchantId: string, now: Date, offlineBefore: string): Promise<Record<string, unknown>> {
  const current = await effectiveMerchantVersion(db, merchantId, now);
  const scheduled = await scheduledMerchantVersions(db, merchantId, now);
  const pending = await db.selectFrom('profile_changes').selectAll().where('merchant_id', '=', merchantId).where('state', '=', 'pending').orderBy('requested_at').execute();
  const adoption: Adoption = await profileAdoption(db, merchantId, current?.version ?? null, offlineBefore);
  return {
    merchantId,
    current: current ? await versionDetail(db, current, current.version, now) : null,
    scheduled: scheduled.map((version) => versionSummary(version, current?.version ?? null, now)),
    pendingChanges: pending.map((row) => changeView(toProfileChange(row))),
    adoption,
  };
}
