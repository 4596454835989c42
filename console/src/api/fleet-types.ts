/** The shapes of the fleet, rollout and repository answers the console reads (see /docs). */

export const FLAG_NAMES = ['offline', 'paper-out', 'update-failed', 'profile-not-applied'] as const;
export type FlagName = (typeof FLAG_NAMES)[number];

export const FLAG_LABELS: Readonly<Record<FlagName, string>> = {
  offline: 'Offline',
  'paper-out': 'Paper out',
  'update-failed': 'Failed update',
  'profile-not-applied': 'Profile not applied',
};

export interface FleetSummary {
  readonly total: number;
  readonly byStatus: Record<string, number>;
  readonly models: readonly { readonly hardwareModel: string; readonly firmwareVersion: string | null; readonly count: number }[];
  readonly flags: Record<FlagName, number>;
}

export interface InstalledComponent {
  readonly component: string;
  readonly version: string;
  readonly targetPath?: string;
}

export interface DeviceView {
  readonly id: string;
  readonly serial: string;
  readonly hardwareModel: string;
  readonly vendorId: string | null;
  readonly merchantId: string | null;
  readonly terminalId?: string | null;
  readonly tags: readonly string[];
  readonly timeZone: string;
  readonly status: 'active' | 'disabled' | 'swapped-out';
  readonly enrolledAt: string;
  readonly lastSeenAt: string | null;
  readonly firmwareVersion: string | null;
  readonly profileVersion: number | null;
  readonly installed: readonly InstalledComponent[] | null;
  readonly health: Record<string, unknown> | null;
  readonly flags: readonly FlagName[];
}

export interface DeviceList {
  readonly devices: readonly DeviceView[];
  readonly next: string | null;
}

export interface DeviceHistory {
  readonly checkIns: readonly { readonly at: string; readonly health: Record<string, unknown>; readonly installed: readonly InstalledComponent[]; readonly profileVersion: number | null }[];
  readonly events: readonly {
    readonly id: string;
    readonly kind: string;
    readonly at: string;
    readonly rolloutId: string | null;
    readonly targetPath: string | null;
    readonly version: string | null;
    readonly code: string | null;
  }[];
}

export type RolloutStatus = 'active' | 'paused' | 'completed' | 'aborted' | 'cancelled';

export interface Counters {
  readonly admitted: number;
  readonly attempted: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timedOut: number;
}

export interface PhaseView extends Counters {
  readonly index: number;
  readonly kind: 'percent' | 'count';
  readonly value: number;
  readonly advance: 'auto' | 'manual';
  readonly successThreshold: number;
  readonly minAttempted: number;
  readonly successRatio: number | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

export interface RolloutView {
  readonly id: string;
  readonly label: string;
  readonly targetPath: string;
  readonly release: { readonly component: string; readonly version: string; readonly hardwareIds: readonly string[] };
  readonly status: RolloutStatus;
  readonly currentPhase: number;
  readonly maintenanceWindow: { readonly start: string; readonly end: string } | null;
  readonly abort: { readonly minAttempted: number; readonly failureRatio: number };
  readonly phases: readonly PhaseView[];
  readonly totals: Counters & { readonly failureRatio: number | null; readonly abortArmed: boolean };
  readonly states?: Record<string, number>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly endedAt: string | null;
}

export interface RolloutHistory {
  readonly events: readonly { readonly id: string; readonly at: string; readonly kind: string; readonly actor: string; readonly deviceId: string | null; readonly phase: number | null; readonly code: string | null; readonly detail: Record<string, unknown> | null }[];
  readonly next: string | null;
}

export interface ReleaseAdoption {
  readonly targetPath: string;
  readonly component: string;
  readonly version: string;
  readonly hardwareIds: readonly string[];
  readonly createdAt: string;
  readonly devices: number;
  readonly eligible: number;
}

export interface VendorAdoption {
  readonly releases: readonly ReleaseAdoption[];
  readonly models: readonly { readonly hardwareModel: string; readonly devices: number }[];
}

export interface Vendor {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}
