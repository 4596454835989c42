import t from 'tap';
import { forEachDatabase } from '../../helpers/databases.js';

const NOW = '2026-11-27T08:00:00.000Z';

t.test('when a transaction throws, none of its writes remain', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    const failure = new Error('signing failed half-way');
    await t.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('vendors').values({ id: 'acme', name: 'Acme', created_at: NOW }).execute();
        await trx.insertInto('metadata').values({ role: 'acme', version: 1, body: '{}', sha256: '00'.repeat(32), length: 2, created_at: NOW }).execute();
        throw failure;
      }),
      failure,
    );
    t.same(await db.selectFrom('vendors').selectAll().execute(), []);
    t.same(await db.selectFrom('metadata').selectAll().execute(), []);
  });
});

t.test('when a statement inside a transaction fails, the earlier statements roll back with it', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await t.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('vendors').values({ id: 'acme', name: 'Acme', created_at: NOW }).execute();
        await trx.insertInto('vendors').values({ id: 'acme', name: 'Acme again', created_at: NOW }).execute();
      }),
    );
    t.same(await db.selectFrom('vendors').selectAll().execute(), []);
  });
});

t.test('a committed transaction is visible afterwards', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('vendors').values({ id: 'acme', name: 'Acme', created_at: NOW }).execute();
    });
    t.same(await db.selectFrom('vendors').select('id').execute(), [{ id: 'acme' }]);
  });
});
