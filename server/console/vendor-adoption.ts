/**
 * Adoption of a vendor's releases across the estate, for the vendor's own view: for each
 * release, how many active devices of the hardware models it names run it, out of how many
 * such devices there are. A device runs a release when it reports the release's target path
 * or, when it reports none, the release's component at the release's version.
 *
 * Counts only: a vendor learns nothing about merchants or single devices. Devices are
 * grouped by (hardware model, installed list) in SQL, so the work in the process grows with
 * the number of distinct installed combinations, not with the number of devices.
 *
 * @example
 * const adoption = await vendorAdoption(db, 'acme');
 * adoption.releases[0]; // { targetPath: 'acme/fw-1.2.0.bin', version: '1.2.0', devices: 812, eligible: 1000, ... }
 */
import type { Kysely } from 'kysely';
import { toNumber } from '../db/index.js';
import type { Database } from '../db/schema.js';

export interface ReleaseAdoption {
  readonly targetPath: string;
  readonly component: string;
  readonly version: string;
  readonly hardwareIds: readonly string[];
  readonly createdAt: string;
  /** Active devices running this release. */
  readonly devices: number;
  /** Active devices of the hardware models the release names. */
  readonly eligible: number;
}

export interface VendorAdoption {
  readonly releases: readonly ReleaseAdoption[];
  /** Active devices per hardware model the vendor publishes for. */
  readonly models: readonly { readonly hardwareModel: string; readonly devices: number }[];
}

interface Installed {
  readonly component?: unknown;
  readonly version?: unknown;
  readonly targetPath?: unknown;
}

export async function vendorAdoption(db: Kysely<Database>, vendorId: string): Promise<VendorAdoption> {
  const releaseRows = await db.selectFrom('releases').select(['target_path', 'component', 'version', 'hardware_ids', 'created_at']).where('vendor_id', '=', vendorId).orderBy('created_at', 'desc').orderBy('target_path').execute();
  const releases = releaseRows.map((row) => ({ targetPath: row.target_path, component: row.component, version: row.version, hardwareIds: JSON.parse(row.hardware_ids) as string[], createdAt: row.created_at }));
  const models = [...new Set(releases.flatMap((release) => release.hardwareIds))].sort();
  if (models.length === 0) return { releases: releases.map((release) => ({ ...release, devices: 0, eligible: 0 })), models: [] };

  const groups = await db
    .selectFrom('devices')
    .select(['hardware_model', 'installed', (eb) => eb.fn.countAll().as('n')])
    .where('status', '=', 'active')
    .where('hardware_model', 'in', models)
    .groupBy(['hardware_model', 'installed'])
    .execute();
  const perModel = new Map<string, number>();
  const parsed = groups.map((group) => {
    const count = toNumber(group.n);
    perModel.set(group.hardware_model, (perModel.get(group.hardware_model) ?? 0) + count);
    return { hardwareModel: group.hardware_model, installed: parseInstalled(group.installed), count };
  });

  return {
    releases: releases.map((release) => {
      let devices = 0;
      let eligible = 0;
      for (const group of parsed) {
        if (!release.hardwareIds.includes(group.hardwareModel)) continue;
        eligible += group.count;
        if (group.installed.some((item) => runs(item, release))) devices += group.count;
      }
      return { ...release, devices, eligible };
    }),
    models: models.map((hardwareModel) => ({ hardwareModel, devices: perModel.get(hardwareModel) ?? 0 })),
  };
}

function runs(item: Installed, release: { targetPath: string; component: string; version: string }): boolean {
  if (typeof item.targetPath === 'string') return item.targetPath === release.targetPath;
  return item.component === release.component && item.version === release.version;
}

function parseInstalled(json: string | null): Installed[] {
  if (json === null) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is Installed => typeof item === 'object' && item !== null) : [];
  } catch {
    return [];
  }
}
