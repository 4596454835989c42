/**
 * The tables as the application sees them (kysely's `Database` type). Each migration in
 * `migrations/` is frozen in time; this file follows the latest one.
 *
 * Portable representation (the same queries run on SQLite and PostgreSQL):
 * - timestamps are ISO-8601 UTC text (`new Date().toISOString()`), set by the application;
 * - JSON is text; booleans (when any appear) are integers 0/1;
 * - `bigint` columns read back as `number` on both dialects (the PostgreSQL pool parses int8
 *   into a number, see `open-database.ts`); aggregate results still go through `toNumber()`.
 *
 * @example
 * const row: Selectable<MetadataTable> | undefined = await db.selectFrom('metadata')
 *   .selectAll().where('role', '=', 'timestamp').orderBy('version', 'desc').executeTakeFirst();
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { AccountTables } from '../accounts/account-tables.js';
import type { AuditTables } from '../audit/audit-tables.js';
import type { FleetTables } from '../fleet/fleet-tables.js';
import type { RolloutTables } from '../fleet/rollouts/rollout-tables.js';
import type { ProfileTables } from '../profiles/profile-tables.js';
import type { WebhookTables } from '../webhooks/webhook-tables.js';

export interface VendorsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiTokensTable {
  id: string;
  /** SHA-256 hex of the secret token; unique. */
  token_hash: string;
  /** `operator`, `vendor:<id>` or `merchant:<id>`. */
  scope: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
  /** The signed-in user a session token speaks for; null for API tokens. */
  user_id: string | null;
  /** Null: no expiry (API tokens); set for sign-in sessions. */
  expires_at: string | null;
}

/** Content-addressed uploads, keyed by SHA-256 hex. */
export interface BlobsTable {
  sha256: string;
  sha512: string;
  length: number;
  created_at: string;
}

/**
 * Every version of every TUF role ever published. The primary key (role, version) is what
 * keeps two concurrent publishers from both writing one version.
 */
export interface MetadataTable {
  role: string;
  version: number;
  /** The exact signed JSON as published (UTF-8 text). */
  body: string;
  /** SHA-256 hex of `body`'s UTF-8 bytes. */
  sha256: string;
  /** Length of `body` in UTF-8 bytes. */
  length: number;
  created_at: string;
}

export interface ReleasesTable {
  /** The TUF target path, `<vendor>/<file>`. */
  target_path: string;
  vendor_id: string;
  component: string;
  version: string;
  /** JSON array of hardware ids. */
  hardware_ids: string;
  min_from_version: string | null;
  notes: string;
  length: number;
  sha256: string;
  created_at: string;
}

export interface Database extends FleetTables, RolloutTables, AccountTables, ProfileTables, AuditTables, WebhookTables {
  vendors: VendorsTable;
  api_tokens: ApiTokensTable;
  blobs: BlobsTable;
  metadata: MetadataTable;
  releases: ReleasesTable;
}

export type VendorRow = Selectable<VendorsTable>;
export type NewVendor = Insertable<VendorsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type NewApiToken = Insertable<ApiTokensTable>;
export type ApiTokenUpdate = Updateable<ApiTokensTable>;
export type BlobRow = Selectable<BlobsTable>;
export type NewBlob = Insertable<BlobsTable>;
export type MetadataRow = Selectable<MetadataTable>;
export type NewMetadata = Insertable<MetadataTable>;
export type ReleaseRow = Selectable<ReleasesTable>;
export type NewRelease = Insertable<ReleasesTable>;
