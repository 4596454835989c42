// SQLite prepared statements are reused by SQL text, bounded, and never handed out while busy.
import t from 'tap';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { withStatementCache } from '../../../server/db/statement-cache.js';

function counting(): { database: SqliteDatabase.Database; prepared: () => number } {
  const database = new SqliteDatabase(':memory:');
  let prepared = 0;
  const original = database.prepare.bind(database);
  database.prepare = ((text: string) => {
    prepared++;
    return original(text);
  }) as typeof database.prepare;
  return { database, prepared: () => prepared };
}

t.test('the same SQL text is prepared once and gives the same answers', async (t) => {
  const { database, prepared } = counting();
  const db = new Kysely<{ items: { id: number; name: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  t.teardown(() => db.destroy());
  await sql`CREATE TABLE items (id integer primary key, name text not null)`.execute(db);
  for (let id = 1; id <= 5; id++) await db.insertInto('items').values({ id, name: `item ${id}` }).execute();
  const before = prepared();
  for (let id = 1; id <= 5; id++) {
    const row = await db.selectFrom('items').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
    t.same(row, { id, name: `item ${id}` }, `row ${id} through the cached statement`);
  }
  t.equal(prepared() - before, 1, 'five runs, one prepare');
  const updated = await db.updateTable('items').set({ name: 'renamed' }).where('id', '<=', 2).executeTakeFirst();
  t.equal(Number(updated.numUpdatedRows), 2, 'writes report their changes');
});

t.test('a statement being iterated is not handed out again', async (t) => {
  const { database, prepared } = counting();
  const cached = withStatementCache(database);
  t.teardown(() => cached.close());
  const text = 'SELECT value FROM json_each(\'[1,2,3]\')';
  const first = cached.prepare(text) as unknown as SqliteDatabase.Statement;
  const rows = first.iterate();
  t.same(rows.next().value, { value: 1 }, 'the first statement is iterating');
  const second = cached.prepare(text) as unknown as SqliteDatabase.Statement;
  t.not(second, first, 'a busy statement is not reused');
  t.equal(prepared(), 2, 'a fresh statement was prepared');
  t.same(second.all(), [{ value: 1 }, { value: 2 }, { value: 3 }], 'the fresh statement runs while the first iterates');
  rows.return?.();
  t.equal(cached.prepare(text), first as unknown, 'once the iteration ended, the cached statement is reused');
  t.equal(prepared(), 2, 'no more prepares');
});

t.test('the cache is bounded, least recently used first out', async (t) => {
  const { database, prepared } = counting();
  const cached = withStatementCache(database, 2);
  t.teardown(() => cached.close());
  cached.prepare('SELECT 1');
  cached.prepare('SELECT 2');
  cached.prepare('SELECT 1'); // now SELECT 2 is the least recently used
  cached.prepare('SELECT 3'); // evicts SELECT 2
  t.equal(prepared(), 3, 'three texts, three prepares');
  cached.prepare('SELECT 1');
  cached.prepare('SELECT 3');
  t.equal(prepared(), 3, 'kept statements are reused');
  cached.prepare('SELECT 2');
  t.equal(prepared(), 4, 'the evicted one is prepared again');
});
