/** The audit log table (see audit-log.ts and migrations/2026-11-29-004-profiles.ts). */

export interface AuditLogTable {
  /** 1, 2, ...: gapless; the primary key makes two writers of one seq impossible. */
  seq: number;
  at: string;
  /** `user:<id>`, `token:<id>`, `device:<id>` or `system`. */
  actor: string;
  /** e.g. `profile.change.requested`, `profile.change.approved`, `merchant.bounds.set`. */
  action: string;
  /** The merchant (or vendor) the entry concerns; null for estate-wide entries. */
  tenant_id: string | null;
  /** What was acted on, e.g. `profile-change:chg_...`. */
  subject: string;
  /** JSON, account numbers masked; null when there was nothing before/after. */
  before: string | null;
  after: string | null;
  /** `hash` of entry seq - 1 (64 zeros for the first). */
  prev_hash: string;
  /** SHA-256 hex over the canonical JSON of every other column (see audit-hash.ts). */
  hash: string;
}

export interface AuditTables {
  audit_log: AuditLogTable;
}
