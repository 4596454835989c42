import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { defaultDatabaseConfig, type DatabaseConfig, type DatabaseDialect } from './database-config.js';
import { parseDatabaseUrl } from './parse-database-url.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';
import { StorageError } from './storage-error.js';

export interface DatabaseHooks {
  /**
   * PostgreSQL: an idle pooled connection failed (server restart, administrator termination,
   * network). The pool has already discarded it and the next query opens a new one; this is
   * for logging. Without a listener node-postgres would crash the process.
   */
  onIdleConnectionError?(error: Error): void;
}

export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DatabaseDialect;
  /** Closes the SQLite handle or ends the PostgreSQL pool. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the database named by `config.url` (see `DatabaseConfig`). It does not migrate:
 * call `migrateToLatest(db)` next.
 *
 * SQLite runs in WAL mode with foreign keys on, a busy timeout, and `synchronous = FULL`
 * (a published TUF version must survive a power cut once the publish returned). Prepared
 * statements are reused by SQL text (statement-cache.ts).
 *
 * @example
 * const { db, dialect, close } = openDatabase({ url: 'sqlite:./data/steward.db' });
 * await migrateToLatest(db);
 * await close();
 */
export function openDatabase(config: Partial<DatabaseConfig> = {}, hooks: DatabaseHooks = {}): OpenedDatabase {
  const resolved: DatabaseConfig = { ...defaultDatabaseConfig, ...config };
  const location = parseDatabaseUrl(resolved.url);
  const db =
    location.dialect === 'sqlite'
      ? new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(openSqlite(location.path, resolved.busyTimeoutMs)) }) })
      : new Kysely<Database>({ dialect: new PostgresDialect({ pool: openPool(location.connectionString, resolved.maxConnections, hooks) }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    dialect: location.dialect,
    close: () => (closing ??= db.destroy()),
  };
}

/** SQLite page cache, in KiB. */
const SQLITE_CACHE_KIB = 64 * 1024;

function openSqlite(path: string, busyTimeoutMs: number): SqliteDatabase.Database {
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const database = new SqliteDatabase(path, { timeout: busyTimeoutMs });
    database.pragma('journal_mode = WAL'); // ':memory:' answers 'memory', which is fine
    database.pragma('synchronous = FULL');
    database.pragma('foreign_keys = ON');
    // SQLite's default page cache is 2 MiB; a fleet's device rows are tens of MiB, and a
    // check-in that misses the cache reads its pages from the OS (sqlite.org/pragma.html#pragma_cache_size).
    database.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
    database.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    forgetValueHistograms(database);
    return database;
  } catch (error) {
    throw new StorageError('STW_DB_OPEN_FAILED', `could not open SQLite database ${path}`, { cause: error, details: { path } });
  }
}

/**
 * better-sqlite3 builds SQLite with SQLITE_ENABLE_STAT4. Once `ANALYZE` (or `PRAGMA optimize`)
 * has written per-value histograms to `sqlite_stat4`, every statement whose WHERE clause
 * compares an indexed column with a parameter is re-prepared each time it is bound to a new
 * value (sqlite.org/c3ref/prepare.html: "the statement will be automatically recompiled"),
 * which made a device lookup by primary key several times slower. Steward's queries are
 * point lookups and short index ranges, planned as well from `sqlite_stat1`'s averages, so
 * the histograms are removed when the database is opened; `sqlite_stat1` is kept
 * (sqlite.org/fileformat2.html#stat4tab: applications may modify these tables).
 */
function forgetValueHistograms(database: SqliteDatabase.Database): void {
  const present = database.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat4'`).get() !== undefined;
  if (!present) return;
  database.exec('DELETE FROM sqlite_stat4');
  database.exec('ANALYZE sqlite_schema'); // reloads the statistics the planner uses
}

const INT8_OID = 20;

/** int8 (`bigint`, `count(*)`) as a number when it is a safe integer, else the decimal string. */
function parseInt8(value: string): number | string {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) ? parsed : value;
}

function openPool(connectionString: string, max: number, hooks: DatabaseHooks): pg.Pool {
  // Per-pool type parsers: the process-wide pg.types registry is left alone.
  const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;
  const pool = new pg.Pool({ connectionString, max, types: { getTypeParser } });
  pool.on('error', (error) => hooks.onIdleConnectionError?.(error));
  return pool;
}
