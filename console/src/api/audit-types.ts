/** The audit log answers (GET /v1/audit, /v1/audit/verify; see docs/audit.md). */

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly tenantId: string | null;
  readonly subject: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly next: number | null;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly headSeq?: number;
  readonly headHash?: string;
  readonly problem?: { readonly seq: number; readonly kind: string; readonly suspectSeq?: number; readonly lastMissingSeq?: number };
  readonly message?: string;
}
