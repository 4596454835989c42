import { Migrator, sql, type Kysely, type MigrationResult } from 'kysely';
import { migrationProvider } from './migration-provider.js';
import { StorageError } from './storage-error.js';

/**
 * Applies every pending migration; on failure nothing of the failed run is left behind.
 *
 * - PostgreSQL: kysely runs the migrations in one transaction under an advisory lock, so
 *   replicas starting together migrate once.
 * - SQLite: kysely runs them outside any transaction, although SQLite's DDL is transactional;
 *   here they run inside `BEGIN IMMEDIATE`, which also holds the write lock so a second
 *   process waits (busy timeout) and then finds nothing left to do. A consequence for future
 *   migrations: `PRAGMA foreign_keys` cannot be switched inside one (it is a no-op there).
 *
 * Returns the names applied by this call.
 *
 * @example
 * const { db } = openDatabase({ url: config.databaseUrl });
 * await migrateToLatest(db); // ['2026-11-27-001-repository'] the first time, [] afterwards
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema version may be migrated
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if (db.getExecutor().adapter.supportsTransactionalDdl) return run(db);
  return db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const applied = await run(connection);
      await sql`commit`.execute(connection);
      return applied;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
async function run(db: Kysely<any>): Promise<string[]> {
  let outcome: { error?: unknown; results?: MigrationResult[] };
  try {
    outcome = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  } catch (error) {
    throw new StorageError('STW_DB_MIGRATION_FAILED', 'migrations could not run', { cause: error });
  }
  const failed = outcome.results?.find((result) => result.status === 'Error');
  if (outcome.error !== undefined) {
    throw new StorageError('STW_DB_MIGRATION_FAILED', `migration ${failed?.migrationName ?? '(none)'} failed`, {
      cause: outcome.error,
      details: { migration: failed?.migrationName ?? null },
    });
  }
  return (outcome.results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
