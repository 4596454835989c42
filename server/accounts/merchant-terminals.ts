/**
 * A merchant's terminals: the devices assigned to it, as the merchant sees them (id, TID,
 * model, firmware and profile versions, health and flags, last seen), and the operator's
 * assignment of a device to a merchant with its terminal id (audited). A TID is unique within
 * a merchant. A device that got its merchant from an enrolment token uses its serial as TID
 * until one is assigned (server/profiles/terminal-ids.ts).
 *
 * @example
 * await assignTerminal(db, { merchantId: 'M1', deviceId: 'dev_1', terminalId: 'T-0001' }, principal.actor, now);
 * const terminals = await merchantTerminals(db, 'M1', offlineBefore);
 */
import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import { atomically } from '../db/atomically.js';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { toDeviceView } from '../fleet/devices/device-view.js';
import type { FlagName } from '../fleet/check-in/health-flags.js';
import { TERMINAL_ID } from '../profiles/profile-layers.js';
import { effectiveTerminalId } from '../profiles/terminal-ids.js';
import { getMerchant } from './merchants.js';

export interface MerchantTerminal {
  readonly deviceId: string;
  readonly terminalId: string | null;
  readonly serial: string;
  readonly hardwareModel: string;
  readonly status: string;
  readonly firmwareVersion: string | null;
  readonly profileVersion: number | null;
  readonly lastSeenAt: string | null;
  readonly health: Record<string, unknown> | null;
  readonly flags: FlagName[];
}

type DeviceRow = Parameters<typeof toDeviceView>[0];

function toTerminal(row: DeviceRow, offlineBefore: string): MerchantTerminal {
  const view = toDeviceView(row, offlineBefore);
  return {
    deviceId: view.id, terminalId: effectiveTerminalId(row) ?? null, serial: view.serial, hardwareModel: view.hardwareModel, status: view.status,
    firmwareVersion: view.firmwareVersion, profileVersion: view.profileVersion, lastSeenAt: view.lastSeenAt, health: view.health, flags: view.flags,
  };
}

export async function merchantTerminals(db: Kysely<Database>, merchantId: string, offlineBefore: string, options: { after?: string | undefined; limit: number }): Promise<{ terminals: MerchantTerminal[]; next: string | null }> {
  let query = db.selectFrom('devices').selectAll().where('merchant_id', '=', merchantId).orderBy('id').limit(options.limit + 1);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  return { terminals: page.map((row) => toTerminal(row, offlineBefore)), next: rows.length > options.limit ? (page[page.length - 1]?.id ?? null) : null };
}

/** The merchant's device, or 404: a device of another merchant looks exactly like no device. */
export async function merchantTerminal(db: Kysely<Database>, merchantId: string, deviceId: string, offlineBefore: string): Promise<MerchantTerminal> {
  const row = await db.selectFrom('devices').selectAll().where('id', '=', deviceId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!row) throw stewardError('STW_NOT_FOUND', `merchant ${merchantId} has no device ${deviceId}`);
  return toTerminal(row, offlineBefore);
}

export async function assignTerminal(db: Kysely<Database>, assignment: { merchantId: string; deviceId: string; terminalId: string }, actor: string, now: Date): Promise<void> {
  const { merchantId, deviceId, terminalId } = assignment;
  if (!TERMINAL_ID.test(terminalId)) throw stewardError('STW_MERCHANT_INVALID', 'a terminal id is 1-64 of A-Z a-z 0-9 . _ -', { field: 'terminalId' });
  await atomically(
    db,
    async (trx) => {
      await getMerchant(trx, merchantId);
      const device = await trx.selectFrom('devices').select(['id', 'merchant_id', 'terminal_id', 'serial']).where('id', '=', deviceId).executeTakeFirst();
      if (!device) throw stewardError('STW_NOT_FOUND', `no device ${deviceId}`);
      const others = await trx.selectFrom('devices').select(['id', 'terminal_id', 'serial']).where('merchant_id', '=', merchantId).where('id', '<>', deviceId).where('status', '<>', 'swapped-out').execute();
      const taken = others.find((other) => effectiveTerminalId(other) === terminalId);
      if (taken) throw stewardError('STW_MERCHANT_TERMINAL_EXISTS', `merchant ${merchantId} already has terminal ${terminalId} (${taken.id})`, { deviceId: taken.id });
      await trx.updateTable('devices').set({ merchant_id: merchantId, terminal_id: terminalId }).where('id', '=', deviceId).execute();
      const before = { merchant_id: device.merchant_id, terminal_id: device.terminal_id };
      await appendAudit(trx, { actor, action: 'merchant.terminal.assigned', tenantId: merchantId, subject: `device:${deviceId}`, before, after: { merchant_id: merchantId, terminal_id: terminalId } }, now);
    },
    { retryUniqueViolations: true },
  );
}

export async function unassignTerminal(db: Kysely<Database>, merchantId: string, deviceId: string, actor: string, now: Date): Promise<void> {
  await atomically(
    db,
    async (trx) => {
      const device = await trx.selectFrom('devices').select(['merchant_id', 'terminal_id']).where('id', '=', deviceId).where('merchant_id', '=', merchantId).executeTakeFirst();
      if (!device) throw stewardError('STW_NOT_FOUND', `merchant ${merchantId} has no device ${deviceId}`);
      await trx.updateTable('devices').set({ merchant_id: null, terminal_id: null }).where('id', '=', deviceId).execute();
      await appendAudit(trx, { actor, action: 'merchant.terminal.unassigned', tenantId: merchantId, subject: `device:${deviceId}`, before: { merchant_id: merchantId, terminal_id: device.terminal_id }, after: { merchant_id: null, terminal_id: null } }, now);
    },
    { retryUniqueViolations: true },
  );
}
