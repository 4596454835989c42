/**
 * The fleet: enrolled devices and their keys, enrolment challenges and tokens, vendors'
 * manufacturing CAs, seen request nonces (replay protection), check-in history, device
 * events, the director root and one director document per device.
 *
 * Frozen in time: never import application code here, never edit after release; change the
 * schema with a new, later-dated migration. Portable to SQLite and PostgreSQL: text ids,
 * ISO-8601 text timestamps set by the application (they sort as text), JSON as text,
 * integer 0/1 flags, no auto-increment.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations see no application types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('serial', 'text', (col) => col.notNull())
    .addColumn('hardware_model', 'text', (col) => col.notNull())
    .addColumn('vendor_id', 'text', (col) => col.references('vendors.id').onDelete('restrict'))
    .addColumn('merchant_id', 'text')
    .addColumn('tags', 'text', (col) => col.notNull())
    .addColumn('time_zone', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('public_key', 'text', (col) => col.notNull())
    .addColumn('key_id', 'text', (col) => col.notNull())
    .addColumn('rekey_allowed', 'integer', (col) => col.notNull())
    .addColumn('enrolment_method', 'text', (col) => col.notNull())
    .addColumn('certificate_fingerprint', 'text')
    .addColumn('enrolled_at', 'text', (col) => col.notNull())
    .addColumn('last_seen_at', 'text')
    .addColumn('health', 'text')
    .addColumn('installed', 'text')
    .addColumn('firmware_version', 'text')
    .addColumn('profile_version', 'integer')
    .addColumn('flag_paper_out', 'integer', (col) => col.notNull())
    .addColumn('flag_update_failed', 'integer', (col) => col.notNull())
    .addColumn('flag_profile_not_applied', 'integer', (col) => col.notNull())
    .addColumn('state_hash', 'text')
    .addColumn('history_at', 'text')
    .addCheckConstraint('devices_status_check', sql`status in ('active', 'disabled', 'swapped-out')`)
    .execute();
  // A serial names one terminal in service: unique among devices not swapped out.
  await db.schema.createIndex('devices_serial_in_service_idx').on('devices').column('serial').unique().where(sql.ref('status'), '<>', 'swapped-out').execute();
  await db.schema.createIndex('devices_serial_idx').on('devices').column('serial').execute();
  await db.schema.createIndex('devices_model_firmware_idx').on('devices').columns(['hardware_model', 'firmware_version']).execute();
  await db.schema.createIndex('devices_merchant_idx').on('devices').column('merchant_id').execute();
  await db.schema.createIndex('devices_last_seen_idx').on('devices').column('last_seen_at').execute();
  await db.schema.createIndex('devices_paper_out_idx').on('devices').column('id').where(sql.ref('flag_paper_out'), '=', 1).execute();
  await db.schema.createIndex('devices_update_failed_idx').on('devices').column('id').where(sql.ref('flag_update_failed'), '=', 1).execute();
  await db.schema.createIndex('devices_profile_not_applied_idx').on('devices').column('id').where(sql.ref('flag_profile_not_applied'), '=', 1).execute();

  await db.schema
    .createTable('enrolment_challenges')
    .addColumn('challenge', 'text', (col) => col.primaryKey())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('enrolment_challenges_expiry_idx').on('enrolment_challenges').column('expires_at').execute();

  await db.schema
    .createTable('enrolment_tokens')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('uses_left', 'integer', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('hardware_model', 'text')
    .addColumn('merchant_id', 'text')
    .addColumn('tags', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addCheckConstraint('enrolment_tokens_uses_check', sql`uses_left >= 0`)
    .execute();

  await db.schema
    .createTable('manufacturing_cas')
    .addColumn('vendor_id', 'text', (col) => col.notNull().references('vendors.id').onDelete('cascade'))
    .addColumn('fingerprint', 'text', (col) => col.notNull())
    .addColumn('certificate_pem', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('manufacturing_cas_pkey', ['vendor_id', 'fingerprint'])
    .execute();

  await db.schema
    .createTable('request_nonces')
    .addColumn('device_id', 'text', (col) => col.notNull())
    .addColumn('nonce', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('request_nonces_pkey', ['device_id', 'nonce'])
    .execute();
  await db.schema.createIndex('request_nonces_expiry_idx').on('request_nonces').column('expires_at').execute();

  await db.schema
    .createTable('check_ins')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('device_id', 'text', (col) => col.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('health', 'text', (col) => col.notNull())
    .addColumn('installed', 'text', (col) => col.notNull())
    .addColumn('profile_version', 'integer')
    .execute();
  await db.schema.createIndex('check_ins_device_at_idx').on('check_ins').columns(['device_id', 'at']).execute();
  await db.schema.createIndex('check_ins_at_idx').on('check_ins').column('at').execute();

  await db.schema
    .createTable('device_events')
    .addColumn('device_id', 'text', (col) => col.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('rollout_id', 'text')
    .addColumn('target_path', 'text')
    .addColumn('version', 'text')
    .addColumn('code', 'text')
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('received_at', 'text', (col) => col.notNull())
    // The event id is the device's idempotency key.
    .addPrimaryKeyConstraint('device_events_pkey', ['device_id', 'id'])
    .execute();
  await db.schema.createIndex('device_events_device_at_idx').on('device_events').columns(['device_id', 'at']).execute();
  await db.schema.createIndex('device_events_rollout_idx').on('device_events').columns(['rollout_id', 'at']).execute();

  await db.schema
    .createTable('director_roots')
    .addColumn('version', 'integer', (col) => col.primaryKey())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addCheckConstraint('director_roots_version_check', sql`version >= 1`)
    .execute();

  await db.schema
    .createTable('director_documents')
    .addColumn('device_id', 'text', (col) => col.primaryKey().references('devices.id').onDelete('cascade'))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('etag', 'text', (col) => col.notNull())
    .addColumn('state_hash', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('profile_version', 'integer')
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('signed_at', 'text', (col) => col.notNull())
    .addCheckConstraint('director_documents_version_check', sql`version >= 1`)
    .execute();
}
