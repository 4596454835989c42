/**
 * The tables of the TUF repository service: vendors, API tokens, uploaded blobs, every
 * published metadata version, and releases.
 *
 * Frozen in time: never import application code here, never edit after release; change the
 * schema with a new, later-dated migration. Portable to SQLite and PostgreSQL: no
 * auto-increment, text ids, ISO-8601 text timestamps set by the application, JSON as text,
 * `bigint` for byte lengths.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations see no application types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vendors')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('blobs')
    .addColumn('sha256', 'text', (col) => col.primaryKey())
    .addColumn('sha512', 'text', (col) => col.notNull())
    .addColumn('length', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addCheckConstraint('blobs_length_check', sql`length >= 0`)
    .execute();

  await db.schema
    .createTable('metadata')
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('length', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    // TUF 6.1: versions are positive integers; one row per (role, version), ever.
    .addPrimaryKeyConstraint('metadata_pkey', ['role', 'version'])
    .addCheckConstraint('metadata_version_check', sql`version >= 1`)
    .execute();

  await db.schema
    .createTable('releases')
    .addColumn('target_path', 'text', (col) => col.primaryKey())
    .addColumn('vendor_id', 'text', (col) => col.notNull().references('vendors.id').onDelete('restrict'))
    .addColumn('component', 'text', (col) => col.notNull())
    .addColumn('version', 'text', (col) => col.notNull())
    .addColumn('hardware_ids', 'text', (col) => col.notNull())
    .addColumn('min_from_version', 'text')
    .addColumn('notes', 'text', (col) => col.notNull())
    .addColumn('length', 'bigint', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addCheckConstraint('releases_length_check', sql`length >= 0`)
    .execute();

  await db.schema.createIndex('releases_vendor_idx').on('releases').columns(['vendor_id', 'component']).execute();
  await db.schema.createIndex('releases_sha256_idx').on('releases').column('sha256').execute();
}
