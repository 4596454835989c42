/**
 * A device as the fleet code sees it, read from the `devices` table. The check-in path reads
 * only these columns (by primary key), never the stored health or installed JSON.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DeviceStatus } from '../fleet-tables.js';

export interface HealthFlags {
  readonly paperOut: boolean;
  readonly updateFailed: boolean;
  readonly profileNotApplied: boolean;
}

export interface DeviceRecord {
  readonly id: string;
  readonly serial: string;
  readonly hardwareModel: string;
  readonly vendorId: string | null;
  readonly merchantId: string | null;
  readonly tags: readonly string[];
  readonly timeZone: string;
  readonly status: DeviceStatus;
  /** The device key, TUF key encoding as stored (JSON text). */
  readonly publicKey: string;
  readonly profileVersion: number | null;
  readonly lastSeenAt: string | null;
  readonly flags: HealthFlags;
  readonly stateHash: string | null;
  readonly historyAt: string | null;
}

const COLUMNS = [
  'id', 'serial', 'hardware_model', 'vendor_id', 'merchant_id', 'tags', 'time_zone', 'status', 'public_key', 'profile_version',
  'last_seen_at', 'flag_paper_out', 'flag_update_failed', 'flag_profile_not_applied', 'state_hash', 'history_at',
] as const;

type Row = { [K in (typeof COLUMNS)[number]]: Database['devices'][K] };

export async function loadDeviceRecord(db: Kysely<Database>, deviceId: string): Promise<DeviceRecord | undefined> {
  const row = await db.selectFrom('devices').select(COLUMNS).where('id', '=', deviceId).executeTakeFirst();
  return row && toDeviceRecord(row);
}

export function toDeviceRecord(row: Row): DeviceRecord {
  return {
    id: row.id,
    serial: row.serial,
    hardwareModel: row.hardware_model,
    vendorId: row.vendor_id,
    merchantId: row.merchant_id,
    tags: parseTags(row.tags),
    timeZone: row.time_zone,
    status: row.status,
    publicKey: row.public_key,
    profileVersion: row.profile_version === null ? null : Number(row.profile_version),
    lastSeenAt: row.last_seen_at,
    flags: { paperOut: row.flag_paper_out === 1, updateFailed: row.flag_update_failed === 1, profileNotApplied: row.flag_profile_not_applied === 1 },
    stateHash: row.state_hash,
    historyAt: row.history_at,
  };
}

export function parseTags(text: string | null): string[] {
  if (text === null) return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === 'string') : [];
}
