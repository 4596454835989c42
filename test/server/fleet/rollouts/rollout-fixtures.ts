/**
 * Fixtures for rollout tests: published releases inserted straight into the repository
 * tables (vendor, blob, release rows), device facts built in memory (the planner needs no
 * device table), a rollout made through `createRollout`, and event records.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../server/db/schema.js';
import { createRollout, type CreateRolloutInput } from '../../../../server/fleet/rollouts/create-rollout.js';
import type { DeviceEventRecord, DeviceFacts } from '../../../../server/fleet/rollouts/rollout-planner.js';
import type { RolloutView } from '../../../../server/fleet/rollouts/rollout-view.js';

export const T0 = new Date('2026-12-01T08:00:00.000Z');

export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

export interface ReleaseSeed {
  readonly path: string;
  readonly version: string;
  readonly component?: string;
  readonly hardwareIds?: readonly string[];
  readonly minFromVersion?: string | null;
}

export async function seedRelease(db: Kysely<Database>, seed: ReleaseSeed): Promise<{ sha256: string; sha512: string; length: number }> {
  const vendor = seed.path.split('/')[0] ?? 'acme';
  await db.insertInto('vendors').values({ id: vendor, name: vendor, created_at: T0.toISOString() }).onConflict((c) => c.column('id').doNothing()).execute();
  const bytes = Buffer.from(`${seed.path} ${seed.version}`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const sha512 = createHash('sha512').update(bytes).digest('hex');
  await db.insertInto('blobs').values({ sha256, sha512, length: bytes.length, created_at: T0.toISOString() }).onConflict((c) => c.column('sha256').doNothing()).execute();
  await db
    .insertInto('releases')
    .values({
      target_path: seed.path,
      vendor_id: vendor,
      component: seed.component ?? 'firmware',
      version: seed.version,
      hardware_ids: JSON.stringify(seed.hardwareIds ?? ['t100']),
      min_from_version: seed.minFromVersion ?? null,
      notes: '',
      length: bytes.length,
      sha256,
      created_at: T0.toISOString(),
    })
    .execute();
  return { sha256, sha512, length: bytes.length };
}

export const FW_120 = 'acme/t100-fw-1.2.0.bin';

/** The release most tests roll out: firmware 1.2.0 for t100. */
export async function seedFirmware(db: Kysely<Database>): Promise<void> {
  await seedRelease(db, { path: FW_120, version: '1.2.0' });
}

export function device(id: string, overrides: Partial<Omit<DeviceFacts, 'installed'>> & { installed?: Record<string, string> } = {}): DeviceFacts {
  const { installed, ...rest } = overrides;
  return {
    deviceId: id,
    hardwareModel: 't100',
    merchantId: null,
    tags: [],
    timeZone: 'UTC',
    ...rest,
    installed: new Map(Object.entries(installed ?? { firmware: '1.1.0' })),
  };
}

export function deviceIds(n: number, prefix = 'dev'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}_${String(i).padStart(6, '0')}`);
}

export async function rollout(db: Kysely<Database>, input: Partial<CreateRolloutInput> = {}, now = T0): Promise<RolloutView> {
  return createRollout(db, { targetPath: FW_120, phases: [{ kind: 'percent', value: 100 }], ...input }, now);
}

export function event(kind: string, rolloutId: string | undefined, extra: Partial<DeviceEventRecord> = {}): DeviceEventRecord {
  return { id: randomUUID(), kind, at: T0, rolloutId, targetPath: FW_120, version: '1.2.0', code: null, ...extra };
}

/** The full success story of one device. */
export function successEvents(rolloutId: string): DeviceEventRecord[] {
  return ['offered', 'download-started', 'downloaded', 'install-started', 'committed'].map((kind) => event(kind, rolloutId));
}

export function rollbackEvents(rolloutId: string, code = 'STW_DEVICE_HEALTH_CHECK_FAILED'): DeviceEventRecord[] {
  return [...['offered', 'download-started', 'downloaded', 'install-started'].map((kind) => event(kind, rolloutId)), event('rolled-back', rolloutId, { code })];
}

export async function phaseCounters(db: Kysely<Database>, rolloutId: string) {
  return db.selectFrom('rollout_phases').select(['phase_index', 'admitted', 'attempted', 'succeeded', 'failed', 'timed_out']).where('rollout_id', '=', rolloutId).orderBy('phase_index').execute();
}

export async function progressOf(db: Kysely<Database>, rolloutId: string, deviceId: string) {
  return db.selectFrom('rollout_devices').selectAll().where('rollout_id', '=', rolloutId).where('device_id', '=', deviceId).executeTakeFirst();
}
