/** Tables of people who sign in and of merchants (see migrations/2026-11-29-004-profiles.ts). */

export type UserRole = 'operator' | 'merchant' | 'vendor';

export interface UsersTable {
  /** `usr_<uuid>`: the actor named in audit entries and maker-checker decisions. */
  id: string;
  username: string;
  role: UserRole;
  /** The merchant or vendor id the user acts for; null for operators. */
  tenant_id: string | null;
  /** `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>` (see passwords.ts). */
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
  /** The user who created this one through the API (migration 005); null: the CLI on the server host. */
  created_by: string | null;
}

export interface MerchantsTable {
  /** The merchant id (MID): `[A-Za-z0-9._-]{1,64}`. */
  id: string;
  name: string;
  /** The registered contact: notifications are POSTed here, signed (see server/webhooks). */
  webhook_url: string | null;
  /** HMAC key of the webhook signatures (base64url); never returned after creation, never logged. */
  webhook_secret: string | null;
  /** Contract fee bounds, JSON in the wire form of `ContractBounds` (snake_case); null: none. */
  fee_bounds: string | null;
  created_at: string;
}

export interface AccountTables {
  users: UsersTable;
  merchants: MerchantsTable;
}
