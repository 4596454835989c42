/**
 * A device's history for the operator: check-ins (health, installed, profile version) and
 * update and profile events (offer, download, install, commit, rollback, with codes),
 * newest first, each paginated by time (`before`).
 *
 * @example
 * const history = await deviceHistory(db, 'dev_1', { limit: 50 });
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { stewardError } from '../../errors.js';

export interface CheckInEntry {
  readonly at: string;
  readonly health: Record<string, unknown>;
  readonly installed: unknown[];
  readonly profileVersion: number | null;
}

export interface EventEntry {
  readonly id: string;
  readonly kind: string;
  readonly at: string;
  readonly rolloutId: string | null;
  readonly targetPath: string | null;
  readonly version: string | null;
  readonly code: string | null;
  readonly receivedAt: string;
}

export async function deviceHistory(db: Kysely<Database>, deviceId: string, options: { limit: number; before?: string | undefined }): Promise<{ checkIns: CheckInEntry[]; events: EventEntry[] }> {
  const device = await db.selectFrom('devices').select('id').where('id', '=', deviceId).executeTakeFirst();
  if (!device) throw stewardError('STW_NOT_FOUND', `no device ${deviceId}`);
  let checkIns = db.selectFrom('check_ins').select(['at', 'health', 'installed', 'profile_version']).where('device_id', '=', deviceId).orderBy('at', 'desc').limit(options.limit);
  let events = db.selectFrom('device_events').selectAll().where('device_id', '=', deviceId).orderBy('at', 'desc').orderBy('id').limit(options.limit);
  if (options.before !== undefined) {
    checkIns = checkIns.where('at', '<', options.before);
    events = events.where('at', '<', options.before);
  }
  const [checkInRows, eventRows] = await Promise.all([checkIns.execute(), events.execute()]);
  return {
    checkIns: checkInRows.map((row) => ({
      at: row.at,
      health: JSON.parse(row.health) as Record<string, unknown>,
      installed: JSON.parse(row.installed) as unknown[],
      profileVersion: row.profile_version === null ? null : Number(row.profile_version),
    })),
    events: eventRows.map((row) => ({ id: row.id, kind: row.kind, at: row.at, rolloutId: row.rollout_id, targetPath: row.target_path, version: row.version, code: row.code, receivedAt: row.received_at })),
  };
}
