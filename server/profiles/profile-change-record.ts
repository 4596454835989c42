/**
 * A profile change as stored (`profile_changes`) and as the API shows it: the patch masked,
 * never the stored unmasked one.
 */
import type { Selectable } from 'kysely';
import { isJsonObject, type JsonObject } from '../../manifests/index.js';
import { maskFields } from './profile-masking.js';
import type { ProfileChangeState, ProfileChangesTable } from './profile-tables.js';
import type { DiffEntry } from './profile-diff.js';

export interface ProfileChange {
  readonly id: string;
  readonly merchantId: string | null;
  readonly layer: string;
  /** Unmasked: for publishing only; never returned, logged or sent. */
  readonly patch: JsonObject;
  readonly sensitive: boolean;
  readonly state: ProfileChangeState;
  readonly baseVersion: number | null;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly effectiveAt: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionReason: string | null;
  readonly publishedVersion: number | null;
}

export function toProfileChange(row: Selectable<ProfileChangesTable>): ProfileChange {
  const patch: unknown = JSON.parse(row.patch);
  return {
    id: row.id,
    merchantId: row.merchant_id,
    layer: row.layer,
    patch: isJsonObject(patch) ? patch : {},
    sensitive: row.sensitive === 1,
    state: row.state,
    baseVersion: row.base_version === null ? null : Number(row.base_version),
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    effectiveAt: row.effective_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionReason: row.decision_reason,
    publishedVersion: row.published_version === null ? null : Number(row.published_version),
  };
}

/** The API's view: camelCase, the patch masked, and for a pending change what it would change now. */
export function changeView(change: ProfileChange, diff?: DiffEntry[]): Record<string, unknown> {
  const { patch, ...rest } = change;
  return { ...rest, fields: Object.keys(patch), patch: maskFields(patch), ...(diff === undefined ? {} : { diff }) };
}
