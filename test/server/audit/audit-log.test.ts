import { sql } from 'kysely';
import t from 'tap';
import { appendAudit, verifyAuditChain } from '../../../server/audit/index.js';
import { atomically } from '../../../server/db/atomically.js';
import { forEachDatabase, withTestDatabase } from '../../helpers/databases.js';
import { T0, rowAt, seedAudit } from './audit-fixtures.js';

const entry = (i: number) => ({ actor: `user:usr_${i}`, action: 'test.parallel', tenantId: null, subject: `thing:${i}`, after: { i } });

t.test('20 transactions appending at once leave a gapless, valid chain', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    // Each transaction writes a row of its own first, so the appends happen mid-transaction,
    // as they do in the services.
    await sql`create table audit_probe (id integer primary key)`.execute(db);
    const now = new Date(T0);
    const written = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        atomically(
          db,
          async (trx) => {
            await sql`insert into audit_probe (id) values (${i})`.execute(trx);
            return appendAudit(trx, entry(i), now);
          },
          { retryUniqueViolations: true },
        ),
      ),
    );
    t.same(written.map((row) => row.seq).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1), 'seqs 1..20, each taken once');
    const verification = await verifyAuditChain(db, { batchSize: 7 });
    t.same(verification, { ok: true, entries: 20, headSeq: 20, headHash: written.find((row) => row.seq === 20)!.hash });
    const subjects = (await db.selectFrom('audit_log').select('subject').execute()).map((row) => row.subject).sort();
    t.same(subjects, Array.from({ length: 20 }, (_, i) => `thing:${i}`).sort(), 'every transaction left exactly its own entry');
  });
});

t.test('on PostgreSQL, appends from two separate pools interleave into one valid chain', async (t) => {
  const first = await withTestDatabase(t, 'postgres');
  const { openDatabase } = await import('../../../server/db/index.js');
  const second = openDatabase({ url: first.url });
  t.teardown(() => second.close());
  const now = new Date(T0);
  await Promise.all(Array.from({ length: 20 }, (_, i) => atomically(i % 2 === 0 ? first.db : second.db, (trx) => appendAudit(trx, entry(i), now), { retryUniqueViolations: true })));
  const verification = await verifyAuditChain(first.db);
  t.equal(verification.ok, true);
  t.equal(verification.ok && verification.headSeq, 20);
});

t.test('an entry exists exactly when its transaction commits', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedAudit(db, 2);
    await t.rejects(
      atomically(db, async (trx) => {
        await appendAudit(trx, entry(3), new Date(T0));
        throw new Error('the change failed');
      }),
    );
    t.same(await verifyAuditChain(db), { ok: true, entries: 2, headSeq: 2, headHash: (await rowAt(db, 2)).hash }, 'the rolled-back entry left nothing, not even a gap');
    const next = await atomically(db, (trx) => appendAudit(trx, entry(3), new Date(T0)), { retryUniqueViolations: true });
    t.equal(next.seq, 3);
  });
});

t.test('outside a transaction appendAudit makes its own', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    const row = await appendAudit(db, { actor: 'system:test', action: 'test.single', tenantId: 'M1', subject: 'x', before: null }, new Date(T0));
    t.equal(row.seq, 1);
    t.equal(row.before, null, 'null before is stored as SQL null');
    t.equal(row.after, null, 'a missing after is stored as SQL null');
    t.same(await rowAt(db, 1), row, 'stored as returned');
  });
});

t.test('the database refuses to update or delete audit entries', async (t) => {
  await forEachDatabase(t, async (t, { db, kind }) => {
    await seedAudit(db, 2);
    await t.rejects(sql`update audit_log set actor = 'user:usr_mallory' where seq = 1`.execute(db), /append-only/);
    await t.rejects(sql`delete from audit_log where seq = 2`.execute(db), /append-only/);
    await t.rejects(sql`delete from audit_log`.execute(db), /append-only/);
    if (kind === 'postgres') await t.rejects(sql`truncate audit_log`.execute(db), /append-only/);
    t.same(await verifyAuditChain(db), { ok: true, entries: 2, headSeq: 2, headHash: (await rowAt(db, 2)).hash });
  });
});
