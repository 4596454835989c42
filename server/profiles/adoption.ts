/**
 * "Applied on N of M terminals": of the merchant's active devices, how many report the
 * effective version, and why the others lag: `no-terminal-id` (no TID, so no profile),
 * `offline` (not seen within the offline threshold), `rolled-back` (the device reported the
 * profile not applied; `code` from its last `profile-rolled-back` event), else `pending`
 * (the device has not fetched and applied it yet).
 *
 * @example
 * const adoption = await profileAdoption(db, 'M1', 7, offlineBefore); // { version: 7, applied: 41, total: 42, lagging: [...] }
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isOffline } from '../fleet/devices/device-view.js';
import { effectiveTerminalId } from './terminal-ids.js';

export type LagReason = 'no-terminal-id' | 'offline' | 'rolled-back' | 'pending';

export interface LaggingTerminal {
  readonly deviceId: string;
  readonly terminalId: string | null;
  readonly profileVersion: number | null;
  readonly reason: LagReason;
  readonly code: string | null;
}

export interface Adoption {
  readonly version: number | null;
  readonly applied: number;
  readonly total: number;
  /** At most `limit` of them, by device id. */
  readonly lagging: LaggingTerminal[];
  readonly laggingTotal: number;
}

export async function profileAdoption(db: Kysely<Database>, merchantId: string, version: number | null, offlineBefore: string, limit = 100): Promise<Adoption> {
  const rows = await db
    .selectFrom('devices')
    .select(['id', 'serial', 'terminal_id', 'profile_version', 'last_seen_at', 'enrolled_at', 'status', 'flag_profile_not_applied'])
    .where('merchant_id', '=', merchantId)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  const lagging: LaggingTerminal[] = [];
  let applied = 0;
  for (const row of rows) {
    const reported = row.profile_version === null ? null : Number(row.profile_version);
    if (version !== null && reported === version) {
      applied++;
      continue;
    }
    const terminalId = effectiveTerminalId(row) ?? null;
    const reason: LagReason = terminalId === null ? 'no-terminal-id' : isOffline(row, offlineBefore) ? 'offline' : row.flag_profile_not_applied === 1 ? 'rolled-back' : 'pending';
    lagging.push({ deviceId: row.id, terminalId, profileVersion: reported, reason, code: null });
  }
  const shown = lagging.slice(0, limit);
  const rolledBack = shown.filter((entry) => entry.reason === 'rolled-back').map((entry) => entry.deviceId);
  const codes = new Map<string, string | null>();
  if (rolledBack.length > 0) {
    const events = await db.selectFrom('device_events').select(['device_id', 'code', 'at']).where('device_id', 'in', rolledBack).where('kind', '=', 'profile-rolled-back').orderBy('at', 'desc').execute();
    for (const event of events) if (!codes.has(event.device_id)) codes.set(event.device_id, event.code);
  }
  return {
    version,
    applied,
    total: rows.length,
    lagging: shown.map((entry) => (codes.has(entry.deviceId) ? { ...entry, code: codes.get(entry.deviceId) ?? null } : entry)),
    laggingTotal: lagging.length,
  };
}
