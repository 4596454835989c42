/**
 * How to reach the database. SQLite is the embedded default; PostgreSQL is for several
 * server replicas sharing one database.
 *
 * | URL | database |
 * |---|---|
 * | `sqlite:./data/steward.db` | a file (relative to the working directory); its directory is created |
 * | `sqlite:/var/lib/steward/steward.db`, `sqlite:///var/lib/...` | an absolute path |
 * | `sqlite::memory:` | a private in-memory database (tests) |
 * | `postgres://user@host:5432/db`, `postgresql://...` | a PostgreSQL pool (node-postgres) |
 *
 * @example
 * const { db, close } = openDatabase({ url: 'postgres://steward@127.0.0.1/steward' });
 */
export interface DatabaseConfig {
  /** `sqlite:<path>`, `sqlite::memory:`, or `postgres://...` / `postgresql://...`. */
  readonly url: string;
  /** PostgreSQL: most connections the pool opens. */
  readonly maxConnections: number;
  /** SQLite: how long a writer waits for another process's lock before failing, in ms. */
  readonly busyTimeoutMs: number;
}

/** The embedded default: a SQLite file under `./data`. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/steward.db';

export const defaultDatabaseConfig: DatabaseConfig = {
  url: DEFAULT_DATABASE_URL,
  maxConnections: 10, // connections
  busyTimeoutMs: 5000, // ms
};

export type DatabaseDialect = 'sqlite' | 'postgres';

export type DatabaseLocation =
  | { readonly dialect: 'sqlite'; readonly path: string /* ':memory:' or a file path */ }
  | { readonly dialect: 'postgres'; readonly connectionString: string };
