/**
 * A device as the fleet code sees it, read from the `devices` table together with the head
 * of its current director document: the one read a signed check-in needs before the
 * planner. It never reads the stored health or installed JSON.
 *
 * @example
 * const records = new DeviceRecords(db);
 * const device = await records.load('dev_1'); // undefined when there is no such device
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HotQuery } from '../db/hot-query.js';
import type { DocumentHead } from '../director/director-documents.js';
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
  /** The terminal id (TID) the operator assigned; null when none was (see docs/profiles.md). */
  readonly terminalId: string | null;
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
  /** The device's current director document (without its body), null when it has none yet. */
  readonly director: DocumentHead | null;
}

export class DeviceRecords {
  readonly #db: Kysely<Database>;
  readonly #byId = new HotQuery(
    (db) =>
      db
        .selectFrom('devices')
        .leftJoin('director_documents as d', 'd.device_id', 'devices.id')
        .select([
          'devices.id', 'devices.serial', 'devices.hardware_model', 'devices.vendor_id', 'devices.merchant_id', 'devices.terminal_id', 'devices.tags', 'devices.time_zone',
          'devices.status', 'devices.public_key', 'devices.profile_version', 'devices.last_seen_at', 'devices.flag_paper_out', 'devices.flag_update_failed',
          'devices.flag_profile_not_applied', 'devices.state_hash', 'devices.history_at',
          'd.version as director_version', 'd.etag as director_etag', 'd.state_hash as director_state_hash', 'd.expires_at as director_expires_at',
          'd.profile_version as director_profile_version',
        ])
        .where('devices.id', '=', ''),
    1,
  );

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async load(deviceId: string): Promise<DeviceRecord | undefined> {
    const [row] = await this.#byId.execute(this.#db, [deviceId]);
    if (!row) return undefined;
    return {
      id: row.id,
      serial: row.serial,
      hardwareModel: row.hardware_model,
      vendorId: row.vendor_id,
      merchantId: row.merchant_id,
      terminalId: row.terminal_id,
      tags: parseTags(row.tags),
      timeZone: row.time_zone,
      status: row.status,
      publicKey: row.public_key,
      profileVersion: row.profile_version === null ? null : Number(row.profile_version),
      lastSeenAt: row.last_seen_at,
      flags: { paperOut: row.flag_paper_out === 1, updateFailed: row.flag_update_failed === 1, profileNotApplied: row.flag_profile_not_applied === 1 },
      stateHash: row.state_hash,
      historyAt: row.history_at,
      director:
        row.director_version === null || row.director_etag === null || row.director_state_hash === null || row.director_expires_at === null
          ? null
          : {
              version: Number(row.director_version),
              etag: row.director_etag,
              stateHash: row.director_state_hash,
              expiresAt: row.director_expires_at,
              profileVersion: row.director_profile_version === null ? null : Number(row.director_profile_version),
            },
    };
  }
}

export function parseTags(text: string | null): string[] {
  if (text === null) return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === 'string') : [];
}
