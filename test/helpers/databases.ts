/**
 * Fresh, migrated databases for tests, one per test, on both dialects the server supports.
 *
 * - SQLite: a file in a new temporary directory (WAL needs a real file), removed afterwards.
 * - PostgreSQL: `CREATE DATABASE steward_t_<random>` on the server named by
 *   `$STEWARD_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/test`, trust auth),
 *   dropped afterwards (`WITH (FORCE)`), so tests never see each other's rows.
 *
 * @example
 * await forEachDatabase(t, async (t, { db, dialect }) => {
 *   await db.insertInto('vendors').values(vendor).execute();
 *   t.equal(...);
 * });
 * const { db } = await withTestDatabase(t, 'postgres', { migrate: false });
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Test } from 'tap';
import { migrateToLatest, openDatabase, type DatabaseDialect, type OpenedDatabase } from '../../server/db/index.js';

export type DatabaseKind = DatabaseDialect;

export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'postgres'];

export const POSTGRES_ADMIN_URL = process.env['STEWARD_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase extends OpenedDatabase {
  readonly kind: DatabaseKind;
  /** The URL `openDatabase` was given; open it again to get a second, independent handle. */
  readonly url: string;
}

export interface TestDatabaseOptions {
  /** Run `migrateToLatest` before handing the database over (default true). */
  readonly migrate?: boolean;
}

/** A fresh database of `kind`, closed and deleted when `t` ends. */
export async function withTestDatabase(t: Test, kind: DatabaseKind, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const { url, dispose } = kind === 'sqlite' ? createSqliteFile() : await createPostgresDatabase();
  const opened = openDatabase({ url });
  t.teardown(async () => {
    await opened.close();
    await dispose();
  });
  if (options.migrate ?? true) await migrateToLatest(opened.db);
  return { ...opened, kind, url };
}

/** Runs `fn` as one subtest per dialect ("sqlite", "postgres"), each with a fresh database. */
export async function forEachDatabase(
  t: Test,
  fn: (t: Test, database: TestDatabase) => Promise<void>,
  options: TestDatabaseOptions = {},
): Promise<void> {
  for (const kind of DATABASE_KINDS) {
    await t.test(kind, async (t) => {
      await fn(t, await withTestDatabase(t, kind, options));
    });
  }
}

function createSqliteFile(): { url: string; dispose: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'steward-db-'));
  return {
    url: `sqlite:${join(dir, 'steward.db')}`,
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function createPostgresDatabase(): Promise<{ url: string; dispose: () => Promise<void> }> {
  const name = `steward_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dispose: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
