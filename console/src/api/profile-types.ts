/**
 * The merchant and profile answers the console reads (docs/profiles.md). Profile content is
 * in wire form (snake_case) and masked: settlement account numbers arrive as their last
 * digits only.
 */
import type { FlagName } from './fleet-types.js';

export type WireProfile = Record<string, unknown>;

export interface Merchant {
  readonly id: string;
  readonly name: string;
  readonly webhookUrl: string | null;
  readonly bounds: Record<string, unknown> | null;
  readonly createdAt: string;
}

export interface DiffEntry {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export type ChangeState = 'pending' | 'published' | 'rejected' | 'withdrawn';

export interface ProfileChange {
  readonly id: string;
  readonly merchantId: string | null;
  readonly layer: string;
  readonly fields: readonly string[];
  readonly patch: WireProfile;
  readonly sensitive: boolean;
  readonly state: ChangeState;
  readonly baseVersion: number | null;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly effectiveAt: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionReason: string | null;
  readonly publishedVersion: number | null;
  readonly diff?: readonly DiffEntry[];
}

export interface LaggingTerminal {
  readonly deviceId: string;
  readonly terminalId: string | null;
  readonly profileVersion: number | null;
  /** no-terminal-id, offline, rolled-back (with `code`) or pending. */
  readonly reason: string;
  readonly code: string | null;
}

export interface Adoption {
  readonly version: number | null;
  readonly applied: number;
  readonly total: number;
  readonly lagging: readonly LaggingTerminal[];
  readonly laggingTotal?: number;
}

export interface VersionSummary {
  readonly version: number;
  readonly effectiveAt: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly changeId: string | null;
  readonly status: 'current' | 'scheduled' | 'superseded';
}

export interface VersionDetail extends VersionSummary {
  /** The resolved merchant-level profile (default + merchant layer), masked. */
  readonly profile: WireProfile;
  readonly layers: { readonly merchant: WireProfile; readonly terminals: Record<string, WireProfile> };
}

export interface MerchantProfile {
  readonly merchantId: string;
  /** The version terminals receive now; null before the first publication. */
  readonly current: VersionDetail | null;
  readonly scheduled: readonly VersionSummary[];
  readonly pendingChanges: readonly ProfileChange[];
  readonly adoption: Adoption;
}

export interface ProfileIssue {
  readonly field: string;
  readonly code: string;
  readonly message: string;
  readonly params?: Record<string, string | number>;
}

export interface Validation {
  readonly valid: boolean;
  readonly issues: readonly ProfileIssue[];
  readonly sensitive: boolean;
  readonly diff: readonly DiffEntry[];
}

export interface MerchantTerminal {
  readonly deviceId: string;
  readonly terminalId: string | null;
  readonly serial: string;
  readonly hardwareModel: string;
  readonly firmwareVersion: string | null;
  readonly profileVersion: number | null;
  readonly status: string;
  readonly lastSeenAt: string | null;
  readonly flags: readonly FlagName[];
}
