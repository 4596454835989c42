import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import t from 'tap';
import { DEFAULT_DATABASE_URL, openDatabase, parseDatabaseUrl, StorageError } from '../../../server/db/index.js';
import { POSTGRES_ADMIN_URL, withTestDatabase } from '../../helpers/databases.js';

t.test('the documented default is a SQLite file under ./data', async (t) => {
  t.equal(DEFAULT_DATABASE_URL, 'sqlite:./data/steward.db');
  t.same(parseDatabaseUrl(DEFAULT_DATABASE_URL), { dialect: 'sqlite', path: './data/steward.db' });
});

t.test('URL spellings map to a dialect and a driver location', async (t) => {
  t.same(parseDatabaseUrl('sqlite::memory:'), { dialect: 'sqlite', path: ':memory:' });
  t.same(parseDatabaseUrl('sqlite:///var/lib/steward.db'), { dialect: 'sqlite', path: '/var/lib/steward.db' });
  t.same(parseDatabaseUrl('postgres://u@h/db'), { dialect: 'postgres', connectionString: 'postgres://u@h/db' });
  t.same(parseDatabaseUrl('postgresql://u@h/db'), { dialect: 'postgres', connectionString: 'postgresql://u@h/db' });
});

t.test('when the URL scheme is unknown, opening fails with a typed error', async (t) => {
  for (const url of ['mysql://root@localhost/steward', 'steward.db', 'sqlite:']) {
    t.throws(() => openDatabase({ url }), { constructor: StorageError, code: 'STW_DB_UNSUPPORTED_URL' }, url);
  }
});

t.test('when the URL has a password, the error does not repeat it', async (t) => {
  const error = t.throws(() => openDatabase({ url: 'mysql://root:hunter2@localhost/x' })) as StorageError;
  t.notMatch(JSON.stringify({ message: error.message, details: error.details }), 'hunter2');
});

t.test('a SQLite file is created with its directory, in WAL mode with foreign keys and a busy timeout', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-open-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nested', 'deeper', 'steward.db');
  const { db, dialect, close } = openDatabase({ url: `sqlite:${file}`, busyTimeoutMs: 1234 });
  t.equal(dialect, 'sqlite');
  t.ok(existsSync(file));
  const pragma = async (name: string) => Object.values((await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(db)).rows[0] ?? {})[0];
  t.equal(await pragma('journal_mode'), 'wal');
  t.equal(await pragma('foreign_keys'), 1);
  t.equal(await pragma('busy_timeout'), 1234);
  t.equal(await pragma('synchronous'), 2, 'FULL');
  await close();
  await close();
  t.pass('closing twice is harmless');
});

t.test('an in-memory SQLite database opens and answers', async (t) => {
  const { db, close } = openDatabase({ url: 'sqlite::memory:' });
  t.teardown(close);
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
  t.same(rows, [{ one: 1 }]);
});

t.test('a postgres:// URL opens a pool and reports the postgres dialect', async (t) => {
  const { db, dialect, close } = openDatabase({ url: POSTGRES_ADMIN_URL });
  t.teardown(close);
  t.equal(dialect, 'postgres');
  const { rows } = await sql<{ n: number }>`select 9007199254740991::bigint as n`.execute(db);
  t.equal(rows[0]?.n, Number.MAX_SAFE_INTEGER, 'int8 reads back as a number');
  const big = await sql<{ n: unknown }>`select 9007199254740993::bigint as n`.execute(db);
  t.equal(big.rows[0]?.n, '9007199254740993', 'an int8 beyond 2^53 stays an exact string');
});

t.test('when the PostgreSQL database does not exist, queries fail with the driver error', async (t) => {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = '/steward_no_such_database';
  const { db, close } = openDatabase({ url: url.toString() });
  t.teardown(close);
  await t.rejects(sql`select 1`.execute(db), { code: '3D000' }, 'invalid_catalog_name');
});

t.test('the test helper gives each test its own database', async (t) => {
  const a = await withTestDatabase(t, 'postgres', { migrate: false });
  const b = await withTestDatabase(t, 'postgres', { migrate: false });
  t.not(a.url, b.url);
  await sql`create table only_in_a (x integer)`.execute(a.db);
  const tables = await b.db.introspection.getTables();
  t.notOk(tables.some((table) => table.name === 'only_in_a'));
});

t.test('when PostgreSQL terminates an idle pooled connection, the hook hears of it and the next query reconnects', async (t) => {
  const { url } = await withTestDatabase(t, 'postgres', { migrate: false });
  let heard: (error: Error) => void = () => undefined;
  const idleError = new Promise<Error>((resolve) => (heard = resolve));
  const { db, close } = openDatabase({ url }, { onIdleConnectionError: (error) => heard(error) });
  t.teardown(close);
  await sql`select 1`.execute(db); // leaves one idle connection in the pool
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  t.teardown(() => admin.end());
  await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [new URL(url).pathname.slice(1)]);
  t.match(await idleError, { code: '57P01' }, 'admin_shutdown');
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
  t.same(rows, [{ one: 1 }]);
});

t.test('SQLite value histograms are dropped on open and the averages kept', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-stat4-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const url = `sqlite:${join(dir, 'steward.db')}`;
  const first = openDatabase({ url });
  await sql`CREATE TABLE items (id text primary key, kind text not null)`.execute(first.db);
  await sql`CREATE INDEX items_kind_idx ON items (kind)`.execute(first.db);
  await sql`WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < 999) INSERT INTO items SELECT 'item_' || n, 'kind_' || (n % 7) FROM seq`.execute(first.db);
  await sql`ANALYZE`.execute(first.db);
  const count = async (db: typeof first.db, table: string) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db)).rows[0]?.n);
  t.ok((await count(first.db, 'sqlite_stat4')) > 0, 'ANALYZE wrote histograms');
  await first.close();

  const second = openDatabase({ url });
  t.teardown(() => second.close());
  t.equal(await count(second.db, 'sqlite_stat4'), 0, 'histograms removed when the database opens');
  t.ok((await count(second.db, 'sqlite_stat1')) > 0, 'the per-index averages stay');
  const row = await sql<{ kind: string }>`SELECT kind FROM items WHERE id = ${'item_8'}`.execute(second.db);
  t.same(row.rows, [{ kind: 'kind_1' }], 'lookups answer as before');
});
