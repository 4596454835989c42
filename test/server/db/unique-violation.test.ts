import t from 'tap';
import { isUniqueViolation, type NewMetadata } from '../../../server/db/index.js';
import { forEachDatabase } from '../../helpers/databases.js';

const NOW = '2026-11-27T08:00:00.000Z';
const snapshot = (body: string): NewMetadata => ({ role: 'snapshot', version: 7, body, sha256: '00'.repeat(32), length: body.length, created_at: NOW });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

t.test('when two publishers write the same (role, version), the second is a recognisable unique violation', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await db.insertInto('metadata').values(snapshot('{"a":1}')).execute();
    const error = await rejection(db.insertInto('metadata').values(snapshot('{"b":2}')).execute());
    t.ok(error instanceof Error, 'the second insert fails');
    t.ok(isUniqueViolation(error));
    const rows = await db.selectFrom('metadata').select('body').execute();
    t.same(rows, [{ body: '{"a":1}' }], 'the first publisher wins');
  });
});

t.test('when two publishers race inside transactions, exactly one commits the version', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    const publish = (body: string) => db.transaction().execute((trx) => trx.insertInto('metadata').values(snapshot(body)).execute());
    const outcomes = await Promise.allSettled([publish('{"a":1}'), publish('{"b":2}')]);
    const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
    t.equal(rejected.length, 1);
    t.ok(isUniqueViolation(rejected[0]?.reason));
    t.equal((await db.selectFrom('metadata').selectAll().execute()).length, 1);
  });
});

t.test('a duplicate token hash is a unique violation too', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    const token = { token_hash: 'ab'.repeat(32), scope: 'operator', label: 'x', created_at: NOW, revoked_at: null };
    await db.insertInto('api_tokens').values({ id: 'one', ...token }).execute();
    t.ok(isUniqueViolation(await rejection(db.insertInto('api_tokens').values({ id: 'two', ...token }).execute())));
  });
});

t.test('other constraint failures are not mistaken for unique violations', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    const release = { target_path: 'x/y', vendor_id: 'nobody', component: 'app', version: '1', hardware_ids: '[]', min_from_version: null, notes: '', length: 1, sha256: '00'.repeat(32), created_at: NOW };
    const foreignKey = await rejection(db.insertInto('releases').values(release).execute());
    t.ok(foreignKey instanceof Error);
    t.notOk(isUniqueViolation(foreignKey));
  });
});

t.test('a unique violation wrapped as the cause of another error is still recognised', async (t) => {
  const driverError = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
  t.ok(isUniqueViolation(new Error('publish failed', { cause: driverError })));
  t.notOk(isUniqueViolation(new Error('publish failed')));
  t.notOk(isUniqueViolation('23505'));
  t.notOk(isUniqueViolation(undefined));
});
