import { sql } from 'kysely';
import t from 'tap';
import { migrateToLatest, migrationProvider, openDatabase, StorageError } from '../../../server/db/index.js';
import { forEachDatabase, withTestDatabase } from '../../helpers/databases.js';

/** The first migration's tables; later migrations add others. */
const REPOSITORY_TABLES = ['api_tokens', 'blobs', 'metadata', 'releases', 'vendors'];

t.test('migration names are date-prefixed so their order is chronological', async (t) => {
  const names = Object.keys(await migrationProvider.getMigrations());
  t.ok(names.length > 0);
  for (const name of names) t.match(name, /^\d{4}-\d{2}-\d{2}-\d{3}-[a-z0-9-]+$/);
  t.same(names, [...names].sort());
});

t.test('on a fresh database every migration applies, and a second run applies none', async (t) => {
  await forEachDatabase(
    t,
    async (t, { db }) => {
      const applied = await migrateToLatest(db);
      t.same(applied, Object.keys(await migrationProvider.getMigrations()));
      const tables = (await db.introspection.getTables()).map((table) => table.name);
      for (const table of REPOSITORY_TABLES) t.ok(tables.includes(table), `${table} exists`);
      t.same(await migrateToLatest(db), [], 'nothing left to apply');
    },
    { migrate: false },
  );
});

t.test('the tables have the columns the repository service reads', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    const tables = await db.introspection.getTables();
    const columns = (name: string) => tables.find((table) => table.name === name)?.columns.map((column) => column.name).sort();
    t.same(columns('metadata'), ['body', 'created_at', 'length', 'role', 'sha256', 'version']);
    t.same(columns('releases'), ['component', 'created_at', 'hardware_ids', 'length', 'min_from_version', 'notes', 'sha256', 'target_path', 'vendor_id', 'version']);
    t.same(columns('api_tokens'), ['created_at', 'expires_at', 'id', 'label', 'revoked_at', 'scope', 'token_hash', 'user_id']);
    t.same(columns('blobs'), ['created_at', 'length', 'sha256', 'sha512']);
    t.same(columns('vendors'), ['created_at', 'id', 'name']);
  });
});

t.test('when a migration fails, migrateToLatest throws STW_DB_MIGRATION_FAILED with the cause and the name', async (t) => {
  await forEachDatabase(
    t,
    async (t, { db }) => {
      await sql`create table releases (x integer)`.execute(db); // collides with the last table the migration creates
      const error = (await migrateToLatest(db).then(
        () => undefined,
        (e: unknown) => e,
      )) as StorageError;
      t.type(error, StorageError);
      t.equal(error.code, 'STW_DB_MIGRATION_FAILED');
      t.equal(error.details?.['migration'], '2026-11-27-001-repository');
      t.ok(error.cause instanceof Error, 'the driver error is kept as cause');
      const tables = (await db.introspection.getTables()).map((table) => table.name);
      t.notOk(tables.includes('vendors'), 'the tables created before the failure were rolled back (transactional DDL)');
    },
    { migrate: false },
  );
});

t.test('when two PostgreSQL replicas start together, the migrations run once', async (t) => {
  const first = await withTestDatabase(t, 'postgres', { migrate: false });
  const second = openDatabase({ url: first.url });
  t.teardown(second.close);
  const [a, b] = await Promise.all([migrateToLatest(first.db), migrateToLatest(second.db)]);
  t.same([...a, ...b], Object.keys(await migrationProvider.getMigrations()), 'each migration applied by exactly one of them');
});
