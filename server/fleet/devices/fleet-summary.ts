/**
 * The estate at a glance: devices by status, active devices by hardware model and firmware
 * version, and how many active devices carry each health flag.
 *
 * @example
 * const summary = await fleetSummary(db, offlineBefore);
 * summary.flags['paper-out']; // 12
 */
import type { Kysely } from 'kysely';
import { toNumber } from '../../db/index.js';
import type { Database } from '../../db/schema.js';
import type { FlagName } from '../check-in/health-flags.js';

export interface FleetSummary {
  readonly total: number;
  readonly byStatus: Record<string, number>;
  readonly models: { hardwareModel: string; firmwareVersion: string | null; count: number }[];
  readonly flags: Record<FlagName, number>;
}

export async function fleetSummary(db: Kysely<Database>, offlineBefore: string): Promise<FleetSummary> {
  const statusRows = await db.selectFrom('devices').select(['status', (eb) => eb.fn.countAll().as('n')]).groupBy('status').execute();
  const modelRows = await db
    .selectFrom('devices')
    .select(['hardware_model', 'firmware_version', (eb) => eb.fn.countAll().as('n')])
    .where('status', '=', 'active')
    .groupBy(['hardware_model', 'firmware_version'])
    .orderBy('hardware_model')
    .orderBy('firmware_version')
    .execute();
  const flagRow = await db
    .selectFrom('devices')
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when(eb.or([eb('last_seen_at', '<', offlineBefore), eb.and([eb('last_seen_at', 'is', null), eb('enrolled_at', '<', offlineBefore)])])).then(1).else(0).end()).as('offline'),
      eb.fn.sum<number>('flag_paper_out').as('paper_out'),
      eb.fn.sum<number>('flag_update_failed').as('update_failed'),
      eb.fn.sum<number>('flag_profile_not_applied').as('profile_not_applied'),
    ])
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  const byStatus: Record<string, number> = { active: 0, disabled: 0, 'swapped-out': 0 };
  for (const row of statusRows) byStatus[row.status] = toNumber(row.n);
  const count = (value: number | string | null) => (value === null ? 0 : toNumber(value));
  return {
    total: Object.values(byStatus).reduce((sum, n) => sum + n, 0),
    byStatus,
    models: modelRows.map((row) => ({ hardwareModel: row.hardware_model, firmwareVersion: row.firmware_version, count: toNumber(row.n) })),
    flags: { offline: count(flagRow.offline), 'paper-out': count(flagRow.paper_out), 'update-failed': count(flagRow.update_failed), 'profile-not-applied': count(flagRow.profile_not_applied) },
  };
}
