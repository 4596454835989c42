/**
 * Operator administration of devices: list (filtered by flag, model, merchant, status;
 * keyset-paginated by id), show, assign (merchant, tags, time zone), disable / enable, mark
 * swapped-out, and allow a re-key.
 *
 * @example
 * const page = await admin.list({ flag: 'paper-out', limit: 100 });
 * await admin.setStatus('dev_1', 'disabled');
 */
import type { Kysely } from 'kysely';
import { isTimeZone } from '../../../manifests/index.js';
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
const TRANSITIONS: Record<'disable' | 'enable' | 'swap-out', { from: DeviceStatus[]; to: DeviceStatus }> = {
  disable: { from: ['active'], to: 'disabled' },
  enable: { from: ['disabled'], to: 'active' },
  'swap-out': { from: ['active', 'disabled'], to: 'swapped-out' },
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

  async assign(deviceId: string, assignment: DeviceAssignment): Promise<DeviceView> {
    if (assignment.timeZone !== undefined && !isTimeZone(assignment.timeZone)) {
      throw stewardError('STW_REQUEST_INVALID', `${assignment.timeZone} is not an IANA time zone`, { field: 'timeZone' });
    }
    const current = assignment.merchantId === undefined ? undefined : await this.#db.selectFrom('devices').select('merchant_id').where('id', '=', deviceId).executeTakeFirst();
    // A device moved to another merchant loses its terminal id: the TID belongs to the old
    // merchant's acquirer contract (assign a new one with PUT /v1/merchants/:merchantId/terminals/:deviceId).
    const moved = current !== undefined && current.merchant_id !== assignment.merchantId;
    const changes = {
      ...(assignment.merchantId === undefined ? {} : { merchant_id: assignment.merchantId }),
      ...(moved ? { terminal_id: null } : {}),
      ...(assignment.tags === undefined ? {} : { tags: JSON.stringify([...new Set(assignment.tags)]) }),
      ...(assignment.timeZone === undefined ? {} : { time_zone: assignment.timeZone }),
    };
    if (Object.keys(changes).length > 0) await this.#db.updateTable('devices').set(changes).where('id', '=', deviceId).execute();
    return this.get(deviceId);
  }

  async changeStatus(deviceId: string, change: keyof typeof TRANSITIONS): Promise<DeviceView> {
    const { from, to } = TRANSITIONS[change];
    const result = await this.#db.updateTable('devices').set({ status: to, rekey_allowed: 0 }).where('id', '=', deviceId).where('status', 'in', from).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const current = await this.get(deviceId); // STW_NOT_FOUND when there is no such device
      throw stewardError('STW_REQUEST_INVALID', `device ${deviceId} is ${current.status}; cannot ${change}`, { status: current.status });
    }
    return this.get(deviceId);
  }

  /** The next enrolment of this device's serial may register a new device key (same device id). */
  async allowRekey(deviceId: string): Promise<DeviceView> {
    const result = await this.#db.updateTable('devices').set({ rekey_allowed: 1 }).where('id', '=', deviceId).where('status', '<>', 'swapped-out').executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      const current = await this.get(deviceId);
      throw stewardError('STW_REQUEST_INVALID', `device ${deviceId} is ${current.status}; cannot re-key`, { status: current.status });
    }
    return this.get(deviceId);
  }
}
