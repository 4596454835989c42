/**
 * Recording an enrolled device. A serial names one terminal in service: enrolling a serial
 * that an active or disabled device holds is refused (`STW_DEVICE_ALREADY_ENROLLED`) unless
 * the operator allowed a re-key, in which case that device keeps its id and history and gets
 * the new key. A swapped-out device frees its serial: the terminal that comes back is a new
 * device.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { PublicKey } from '../../../manifests/index.js';
import { isUniqueViolation } from '../../db/index.js';
import type { Database } from '../../db/schema.js';
import { stewardError } from '../../errors.js';

export interface DeviceRegistration {
  readonly serial: string;
  readonly hardwareModel: string;
  readonly vendorId: string | null;
  readonly merchantId: string | null;
  readonly tags: readonly string[];
  readonly key: PublicKey;
  readonly method: 'certificate' | 'token';
  readonly certificateFingerprint: string | null;
}

export interface RegisteredDevice {
  readonly deviceId: string;
  readonly rekeyed: boolean;
  /** The same enrolment again (its answer was lost): the device as registered, nothing changed. */
  readonly repeated: boolean;
}

/** Registers the device inside `trx` (which the caller also uses to take the token use). */
export async function registerDevice(trx: Transaction<Database>, registration: DeviceRegistration, now: Date): Promise<RegisteredDevice> {
  const existing = await trx
    .selectFrom('devices')
    .select(['id', 'rekey_allowed', 'hardware_model', 'key_id', 'status'])
    .where('serial', '=', registration.serial)
    .where('status', '<>', 'swapped-out')
    .executeTakeFirst();
  const keyColumns = { public_key: JSON.stringify(registration.key.toJSON()), key_id: registration.key.keyId() };
  if (existing) {
    // The terminal proved possession of the registered key over a new challenge: it is the
    // same terminal asking again because the first answer never reached it.
    if (existing.key_id === keyColumns.key_id && existing.hardware_model === registration.hardwareModel && existing.status === 'active') {
      return { deviceId: existing.id, rekeyed: false, repeated: true };
    }
    if (existing.rekey_allowed !== 1 || existing.hardware_model !== registration.hardwareModel) {
      throw stewardError('STW_DEVICE_ALREADY_ENROLLED', `serial ${registration.serial} is already enrolled`, { serial: registration.serial });
    }
    await trx
      .updateTable('devices')
      .set({ ...keyColumns, rekey_allowed: 0, enrolment_method: registration.method, certificate_fingerprint: registration.certificateFingerprint })
      .where('id', '=', existing.id)
      .execute();
    return { deviceId: existing.id, rekeyed: true, repeated: false };
  }
  const deviceId = `dev_${randomUUID()}`;
  await trx
    .insertInto('devices')
    .values({
      id: deviceId,
      serial: registration.serial,
      hardware_model: registration.hardwareModel,
      vendor_id: registration.vendorId,
      merchant_id: registration.merchantId,
      tags: JSON.stringify(registration.tags),
      time_zone: 'UTC',
      status: 'active',
      ...keyColumns,
      rekey_allowed: 0,
      enrolment_method: registration.method,
      certificate_fingerprint: registration.certificateFingerprint,
      enrolled_at: now.toISOString(),
      last_seen_at: null,
      health: null,
      installed: null,
      firmware_version: null,
      profile_version: null,
      flag_paper_out: 0,
      flag_update_failed: 0,
      flag_profile_not_applied: 0,
      state_hash: null,
      history_at: null,
    })
    .execute();
  return { deviceId, rekeyed: false, repeated: false };
}

/** Runs `body` in a transaction; a concurrent enrolment of the same serial becomes STW_DEVICE_ALREADY_ENROLLED. */
export async function inEnrolmentTransaction<T>(db: Kysely<Database>, serial: string, body: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(body);
  } catch (error) {
    if (isUniqueViolation(error)) throw stewardError('STW_DEVICE_ALREADY_ENROLLED', `serial ${serial} is already enrolled`, { serial }, error);
    throw error;
  }
}
