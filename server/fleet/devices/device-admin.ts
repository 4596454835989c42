/**
 * Operator administration of devices: list (filtered by flag, model, merchant, status;
 * keyset-paginated by id), show, assign (merchant, tags, time zone), disable / enable, mark
 * swapped-out, and allow a re-key. Every change is audited (docs/audit.md) in its own
 * transaction.
 *
 * @example
 * const page = await admin.list({ flag: 'paper-out', limit: 100 });
 * await admin.changeStatus('dev_1', 'disable', principal.actor);
 */
import type { Kysely } from 'kysely';
import { isTimeZone } from '../../../manifests/index.js';
import { appendAudit } from '../../audit/audit-log.js';
import { atomically } from '../../db/atomically.js';
import type { Database } from '../../db/schema.js';
import { stewardError } from '../../errors.js';
import type { FlagName } from '../check-in/health-flags.js';
import type { DeviceStatus } from '../fleet-tables.js';
import { toDeviceView, type DeviceView } from './device-view.js';

export interface DeviceQuery {
  readonly flag?: FlagName | undefined;
  readonly hardwareModel?: string | undefined;
  readonly merchantId?: string | undefined;
  readonly status?: DeviceStatus | undefined;
  readonly firmwareVersion?: string | undefined;
  /** Devices with ids after this one (the `next` of the previous page). */
  readonly after?: string | undefined;
  readonly limit: number;
}

export interface DeviceAssignment {
  readonly merchantId?: string | null | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly timeZone?: string | undefined;
}

/** Status changes an operator may make, from which states. */
const TRANSITIONS: Record<'disable' | 'enable' | 'swap-out', { from: DeviceStatus[]; to: DeviceStatus; action: string }> = {
  disable: { from: ['active'], to: 'disabled', action: 'device.disabled' },
  enable: { from: ['disabled'], to: 'active', action: 'device.enabled' },
  'swap-out': { from: ['active', 'disabled'], to: 'swapped-out', action: 'device.swapped-out' },
};

export class DeviceAdmin {
  readonly #db: Kysely<Database>;
  readonly #clock: () => Date;
  readonly #offlineAfterSeconds: number;

  constructor(options: { db: Kysely<Database>; clock: () => Date; offlineAfterSeconds: number }) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#offlineAfterSeconds = options.offlineAfterSeconds;
  }

  /** Devices last seen (or, never seen, enrolled) before this instant are offline. */
  offlineBefore(): string {
    return new Date(this.#clock().getTime() - this.#offlineAfterSeconds * 1000).toISOString();
  }

  async list(query: DeviceQuery): Promise<{ devices: DeviceView[]; next: string | null }> {
    const offlineBefore = this.offlineBefore();
    let select = this.#db.selectFrom('devices').selectAll().orderBy('id').limit(query.limit + 1);
    if (query.after !== undefined) select = select.where('id', '>', query.after);
    if (query.hardwareModel !== undefined) select = select.where('hardware_model', '=', query.hardwareModel);
    if (query.merchantId !== undefined) select = select.where('merchant_id', '=', query.merchantId);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.firmwareVersion !== undefined) select = select.where('firmware_version', '=', query.firmwareVersion);
    switch (query.flag) {
      case undefined:
        break;
      case 'offline':
        select = select
          .where('status', '=', 'active')
          .where((eb) => eb.or([eb('last_seen_at', '<', offlineBefore), eb.and([eb('last_seen_at', 'is', null), eb('enrolled_at', '<', offlineBefore)])]));
        break;
      case 'paper-out':
        select = select.where('flag_paper_out', '=', 1);
        break;
      case 'update-failed':
        select = select.where('flag_update_failed', '=', 1);
        break;
      case 'profile-not-applied':
        select = select.where('flag_profile_not_applied', '=', 1);
        break;
    }
    const rows = await select.execute();
    const page = rows.slice(0, query.limit);
    return { devices: page.map((row) => toDeviceView(row, offlineBefore)), next: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
  }

  async get(deviceId: string): Promise<DeviceView> {
    const row = await this.#db.selectFrom('devices').selectAll().where('id', '=', deviceId).executeTakeFirst();
    if (!row) throw stewardError('STW_NOT_FOUND', `no device ${deviceId}`);
    return toDeviceView(row, this.offlineBefore());
  }

  /**
   * Assigns merchant, tags and time zone, with a `device.assigned` audit entry in the same
   * transaction (tenant: the new merchant, or the old one when the device leaves it).
   */
  async assign(deviceId: string, assignment: DeviceAssignment, actor: string): Promise<DeviceView> {
    if (assignment.timeZone !== undefined && !isTimeZone(assignment.timeZone)) {
      throw stewardError('STW_REQUEST_INVALID', `${assignment.timeZone} is not an IANA time zone`, { field: 'timeZone' });
    }
    await atomically(this.#db, async (trx) => {
      await lockDevice(trx, deviceId);
      const current = await trx.selectFrom('devices').select(['merchant_id', 'terminal_id', 'tags', 'time_zone']).where('id', '=', deviceId).executeTakeFirstOrThrow();
      // A device moved to another merchant loses its terminal id: the TID belongs to the old
      // merchant's acquirer contract (assign a new one with PUT /v1/merchants/:merchantId/terminals/:deviceId).
      const moved = assignment.merchantId !== undefined && current.merchant_id !== assignment.merchantId;
      const changes = {
        ...(assignment.merchantId === undefined ? {} : { merchant_id: assignment.merchantId }),
        ...(moved ? { terminal_id: null } : {}),
        ...(assignment.tags === undefined ? {} : { tags: JSON.stringify([...new Set(assignment.tags)]) }),
        ...(assignment.timeZone === undefined ? {} : { time_zone: assignment.timeZone }),
      };
      if (Object.keys(changes).length === 0) return;
      await trx.updateTable('devices').set(changes).where('id', '=', deviceId).execute();
      const before = assignmentView(current);
      const after = assignmentView({ ...current, ...changes });
      await appendAudit(trx, { actor, action: 'device.assigned', tenantId: after.merchantId ?? before.merchantId, subject: `device:${deviceId}`, before, after }, this.#clock());
    }, { retryUniqueViolations: true });
    return this.get(deviceId);
  }

  /** Disable, enable or mark swapped-out, with a `device.disabled` / `.enabled` / `.swapped-out` audit entry in the same transaction. */
  async changeStatus(deviceId: string, change: keyof typeof TRANSITIONS, actor: string): Promise<DeviceView> {
    const { from, to, action } = TRANSITIONS[change];
    await atomically(this.#db, async (trx) => {
      await lockDevice(trx, deviceId);
      const current = await trx.selectFrom('devices').select(['status', 'merchant_id']).where('id', '=', deviceId).executeTakeFirstOrThrow();
      if (!from.includes(current.status)) throw stewardError('STW_REQUEST_INVALID', `device ${deviceId} is ${current.status}; cannot ${change}`, { status: current.status });
      await trx.updateTable('devices').set({ status: to, rekey_allowed: 0 }).where('id', '=', deviceId).execute();
      await appendAudit(trx, { actor, action, tenantId: current.merchant_id, subject: `device:${deviceId}`, before: { status: current.status }, after: { status: to } }, this.#clock());
    }, { retryUniqueViolations: true });
    return this.get(deviceId);
  }

  /** The next enrolment of this device's serial may register a new device key (same device id); audited as `device.rekey-allowed`. */
  async allowRekey(deviceId: string, actor: string): Promise<DeviceView> {
    await atomically(this.#db, async (trx) => {
      await lockDevice(trx, deviceId);
      const current = await trx.selectFrom('devices').select(['status', 'merchant_id']).where('id', '=', deviceId).executeTakeFirstOrThrow();
      if (current.status === 'swapped-out') throw stewardError('STW_REQUEST_INVALID', `device ${deviceId} is ${current.status}; cannot re-key`, { status: current.status });
      await trx.updateTable('devices').set({ rekey_allowed: 1 }).where('id', '=', deviceId).execute();
      await appendAudit(trx, { actor, action: 'device.rekey-allowed', tenantId: current.merchant_id, subject: `device:${deviceId}`, after: { rekeyAllowed: true } }, this.#clock());
    }, { retryUniqueViolations: true });
    return this.get(deviceId);
  }
}

/**
 * Takes the device row's write lock before it is read (a no-op UPDATE: PostgreSQL locks the
 * row until the transaction ends; SQLite has one writer anyway), so two administrators
 * changing one device take turns: each reads what the other committed, the checks hold, and
 * the audit entry's `before` is true. STW_NOT_FOUND when there is no such device.
 */
async function lockDevice(trx: Kysely<Database>, deviceId: string): Promise<void> {
  const result = await trx.updateTable('devices').set((eb) => ({ status: eb.ref('status') })).where('id', '=', deviceId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw stewardError('STW_NOT_FOUND', `no device ${deviceId}`);
}

/** What an assignment entry records (no secrets here: merchant, terminal id, tags, time zone). */
function assignmentView(row: { merchant_id: string | null; terminal_id: string | null; tags: string; time_zone: string }): { merchantId: string | null; terminalId: string | null; tags: unknown; timeZone: string } {
  return { merchantId: row.merchant_id, terminalId: row.terminal_id, tags: JSON.parse(row.tags) as unknown, timeZone: row.time_zone };
}
