/**
 * Tables of merchant parameter profiles (see migrations/2026-11-29-004-profiles.ts and
 * docs/profiles.md). Versions are immutable: rows are inserted, never updated.
 */

export interface ProfileDefaultsTable {
  /** 1, 2, ...: the operator default layer's versions. */
  version: number;
  /** JSON object: a partial profile in wire form (snake_case top-level fields). */
  fields: string;
  change_id: string | null;
  /** The user (or token) id that made the change. */
  created_by: string;
  created_at: string;
  /** From when terminals receive it (ISO-8601). */
  effective_at: string;
}

export interface ProfileVersionsTable {
  merchant_id: string;
  /** 1, 2, ... per merchant; the `version` of every terminal document resolved from it. */
  version: number;
  /** JSON `{ "merchant": {...partial}, "terminals": { "<tid>": {...partial} } }`. */
  layers: string;
  /** The operator default version it was resolved against; null: the latest effective one. */
  default_version: number | null;
  change_id: string | null;
  created_by: string;
  created_at: string;
  effective_at: string;
}

/** `pending` waits for a second operator; the others are final. */
export type ProfileChangeState = 'pending' | 'published' | 'rejected' | 'withdrawn';

export interface ProfileChangesTable {
  /** `chg_<uuid>`. */
  id: string;
  /** Null for a change to the operator default layer. */
  merchant_id: string | null;
  /** `default`, `merchant` or `terminal:<tid>`. */
  layer: string;
  /** JSON object: the top-level wire fields set (unmasked: needed to publish; never returned). */
  patch: string;
  /** 1 when it touches a sensitive field (settlement account, fees): needs approval. */
  sensitive: number;
  state: ProfileChangeState;
  /** The version it was proposed against. */
  base_version: number | null;
  requested_by: string;
  requested_at: string;
  effective_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  published_version: number | null;
}

export interface ProfileTables {
  profile_defaults: ProfileDefaultsTable;
  profile_versions: ProfileVersionsTable;
  profile_changes: ProfileChangesTable;
}
