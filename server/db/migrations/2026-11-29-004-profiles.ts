/**
 * Accounts, merchants, parameter profiles, the audit log and the webhook outbox.
 *
 * - `users`: people who sign in (operator, merchant or vendor role, with the tenant they act
 *   for); passwords as scrypt hashes. Tokens may now belong to a user and expire.
 * - `merchants`: the merchant, its registered webhook contact and its contract fee bounds.
 * - `profile_defaults` / `profile_versions`: immutable versions of the operator default layer
 *   and of each merchant's layers (merchant layer plus terminal overrides).
 * - `profile_changes`: proposed changes, published at once or waiting for a second operator.
 * - `audit_log`: append-only, each entry carrying the hash of the one before it.
 * - `webhook_deliveries`: an outbox, written in the same transaction as the change it reports.
 *
 * Frozen in time: never import application code here, never edit after release.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations see no application types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('username', 'text', (col) => col.notNull().unique())
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('disabled_at', 'text')
    .addCheckConstraint('users_role_check', sql`role in ('operator', 'merchant', 'vendor') and ((role = 'operator') = (tenant_id is null))`)
    .execute();

  await db.schema.alterTable('api_tokens').addColumn('user_id', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
  await db.schema.alterTable('devices').addColumn('terminal_id', 'text').execute();
  await db.schema.createIndex('devices_merchant_terminal_idx').on('devices').columns(['merchant_id', 'terminal_id']).execute();

  await db.schema
    .createTable('merchants')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('webhook_url', 'text')
    .addColumn('webhook_secret', 'text')
    .addColumn('fee_bounds', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('profile_defaults')
    .addColumn('version', 'integer', (col) => col.primaryKey())
    .addColumn('fields', 'text', (col) => col.notNull())
    .addColumn('change_id', 'text')
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('effective_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('profile_versions')
    .addColumn('merchant_id', 'text', (col) => col.notNull().references('merchants.id').onDelete('restrict'))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('layers', 'text', (col) => col.notNull())
    .addColumn('default_version', 'integer')
    .addColumn('change_id', 'text')
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('effective_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('profile_versions_pkey', ['merchant_id', 'version'])
    .execute();
  await db.schema.createIndex('profile_versions_effective_idx').on('profile_versions').columns(['merchant_id', 'effective_at']).execute();

  await db.schema
    .createTable('profile_changes')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('merchant_id', 'text')
    .addColumn('layer', 'text', (col) => col.notNull())
    .addColumn('patch', 'text', (col) => col.notNull())
    .addColumn('sensitive', 'integer', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('base_version', 'integer')
    .addColumn('requested_by', 'text', (col) => col.notNull())
    .addColumn('requested_at', 'text', (col) => col.notNull())
    .addColumn('effective_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('published_version', 'integer')
    .addCheckConstraint('profile_changes_state_check', sql`state in ('pending', 'published', 'rejected', 'withdrawn')`)
    .execute();
  await db.schema.createIndex('profile_changes_merchant_idx').on('profile_changes').columns(['merchant_id', 'state', 'requested_at']).execute();
  await db.schema.createIndex('profile_changes_state_idx').on('profile_changes').columns(['state', 'requested_at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (col) => col.primaryKey())
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('prev_hash', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('audit_log_tenant_idx').on('audit_log').columns(['tenant_id', 'seq']).execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('merchant_id', 'text', (col) => col.notNull())
    .addColumn('event', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('next_attempt_at', 'text', (col) => col.notNull())
    .addColumn('delivered_at', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['delivered_at', 'next_attempt_at']).execute();
}
