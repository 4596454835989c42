/**
 * A device as the operator API shows it: identity, assignment, status, the latest report
 * and its health flags (offline computed against now).
 */
import type { Selectable } from 'kysely';
import type { DevicesTable } from '../fleet-tables.js';
import type { FlagName } from '../check-in/health-flags.js';
import { parseTags } from './device-record.js';

export interface DeviceView {
  readonly id: string;
  readonly serial: string;
  readonly hardwareModel: string;
  readonly vendorId: string | null;
  readonly merchantId: string | null;
  readonly tags: string[];
  readonly timeZone: string;
  readonly status: DevicesTable['status'];
  readonly keyId: string;
  readonly rekeyAllowed: boolean;
  readonly enrolmentMethod: DevicesTable['enrolment_method'];
  readonly enrolledAt: string;
  readonly lastSeenAt: string | null;
  readonly firmwareVersion: string | null;
  readonly profileVersion: number | null;
  readonly installed: unknown[] | null;
  readonly health: Record<string, unknown> | null;
  readonly flags: FlagName[];
}

/** Offline: not seen (or, never seen, not enrolled) since `offlineBefore`. */
export function isOffline(row: Pick<Selectable<DevicesTable>, 'last_seen_at' | 'enrolled_at' | 'status'>, offlineBefore: string): boolean {
  return row.status === 'active' && (row.last_seen_at ?? row.enrolled_at) < offlineBefore;
}

export function toDeviceView(row: Selectable<DevicesTable>, offlineBefore: string): DeviceView {
  const flags: FlagName[] = [];
  if (isOffline(row, offlineBefore)) flags.push('offline');
  if (row.flag_paper_out === 1) flags.push('paper-out');
  if (row.flag_update_failed === 1) flags.push('update-failed');
  if (row.flag_profile_not_applied === 1) flags.push('profile-not-applied');
  return {
    id: row.id,
    serial: row.serial,
    hardwareModel: row.hardware_model,
    vendorId: row.vendor_id,
    merchantId: row.merchant_id,
    tags: parseTags(row.tags),
    timeZone: row.time_zone,
    status: row.status,
    keyId: row.key_id,
    rekeyAllowed: row.rekey_allowed === 1,
    enrolmentMethod: row.enrolment_method,
    enrolledAt: row.enrolled_at,
    lastSeenAt: row.last_seen_at,
    firmwareVersion: row.firmware_version,
    profileVersion: row.profile_version === null ? null : Number(row.profile_version),
    installed: row.installed === null ? null : (JSON.parse(row.installed) as unknown[]),
    health: row.health === null ? null : (JSON.parse(row.health) as Record<string, unknown>),
    flags,
  };
}
