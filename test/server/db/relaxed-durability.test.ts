// Telemetry transactions commit without waiting for the disk; every other transaction keeps full durability.
import t from 'tap';
import { sql } from 'kysely';
import { withRelaxedDurability } from '../../../server/db/relaxed-durability.js';
import { forEachDatabase } from '../../helpers/databases.js';

t.test('the relaxed setting holds inside the transaction only', async (t) => {
  await forEachDatabase(t, async (t, { db, kind }) => {
    const setting = async (executor: typeof db): Promise<string> => {
      if (kind === 'postgres') return String((await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(executor)).rows[0]?.synchronous_commit);
      return String((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(executor)).rows[0]?.synchronous);
    };
    const strict = kind === 'postgres' ? 'on' : '2'; // FULL
    const relaxed = kind === 'postgres' ? 'off' : '1'; // NORMAL
    t.equal(await setting(db), strict, 'full durability before');
    const inside = await withRelaxedDurability(db, async (trx) => {
      await trx.insertInto('vendors').values({ id: 'acme', name: 'Acme', created_at: new Date().toISOString() }).execute();
      return setting(trx);
    });
    t.equal(inside, relaxed, 'relaxed inside');
    t.equal(await setting(db), strict, 'full durability after');
    await db.transaction().execute(async (trx) => t.equal(await setting(trx), strict, 'other transactions keep full durability'));
    t.equal((await db.selectFrom('vendors').select('id').execute()).length, 1, 'the relaxed transaction committed');
  });
});

t.test('a failing relaxed transaction rolls back and restores full durability', async (t) => {
  await forEachDatabase(t, async (t, { db, kind }) => {
    await t.rejects(
      withRelaxedDurability(db, async (trx) => {
        await trx.insertInto('vendors').values({ id: 'acme', name: 'Acme', created_at: new Date().toISOString() }).execute();
        throw new Error('boom');
      }),
      /boom/,
    );
    t.equal((await db.selectFrom('vendors').select('id').execute()).length, 0, 'nothing written');
    if (kind === 'sqlite') t.equal((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]?.synchronous, 2);
  });
});
