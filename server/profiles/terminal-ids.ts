/**
 * A device's terminal id (TID): the one the operator assigned, else its serial when the serial
 * is a valid TID (devices that got their merchant from an enrolment token), else none: such a
 * device receives no profile until the operator assigns a TID.
 *
 * @example
 * effectiveTerminalId({ terminal_id: null, serial: 'T100-0042' }); // 'T100-0042'
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { TERMINAL_ID } from './profile-layers.js';

export function effectiveTerminalId(device: { readonly terminal_id: string | null; readonly serial: string }): string | undefined {
  if (device.terminal_id !== null) return device.terminal_id;
  return TERMINAL_ID.test(device.serial) ? device.serial : undefined;
}

/** The TIDs of the merchant's devices that are not swapped out. */
export async function merchantTerminalIds(db: Kysely<Database>, merchantId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('devices').select(['terminal_id', 'serial']).where('merchant_id', '=', merchantId).where('status', '<>', 'swapped-out').execute();
  return new Set(rows.map(effectiveTerminalId).filter((tid): tid is string => tid !== undefined));
}
