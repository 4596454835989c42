/**
 * Prepared statements kept and reused by SQL text. kysely's SQLite driver calls
 * `database.prepare(sql)` for every query; for the short statements of a check-in, SQLite's
 * parse and plan costs more than running them. This wraps the better-sqlite3 handle that
 * kysely is given so that `prepare` returns a statement already prepared for the same text.
 *
 * - Bounded: least recently used statements are dropped past `capacity` (ad-hoc SQL such
 *   as multi-row inserts of varying width must not grow it without end).
 * - A statement still being iterated (a streamed query, `busy`) cannot be run again, so a
 *   busy cached statement is never handed out: a fresh one is prepared instead.
 * - Schema changes need nothing: SQLite re-prepares a statement whose schema changed
 *   (sqlite.org/c3ref/prepare.html, sqlite3_prepare_v2).
 *
 * @example
 * const database = withStatementCache(new SqliteDatabase(path));
 * const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
 */
import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';

export const DEFAULT_STATEMENT_CACHE_CAPACITY = 256;

export function withStatementCache(database: SqliteDatabase.Database, capacity = DEFAULT_STATEMENT_CACHE_CAPACITY): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (sql: string): SqliteStatement => {
      const cached = statements.get(sql);
      if (cached !== undefined && !cached.busy) {
        // Map order is insertion order: re-inserting marks it most recently used.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached as unknown as SqliteStatement;
      }
      const statement = database.prepare(sql);
      if (cached === undefined) {
        statements.set(sql, statement);
        if (statements.size > capacity) {
          const oldest = statements.keys().next();
          if (!oldest.done) statements.delete(oldest.value);
        }
      }
      return statement as unknown as SqliteStatement;
    },
  };
}
