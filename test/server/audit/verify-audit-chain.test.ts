import { sql } from 'kysely';
import t from 'tap';
import { GENESIS_HASH, entryHash, verifyAuditChain } from '../../../server/audit/index.js';
import { forEachDatabase } from '../../helpers/databases.js';
import { allowTampering, rowAt, seedAudit } from './audit-fixtures.js';

// Small batches, so every walk crosses batch boundaries (keyset pagination).
const BATCH = 3;

t.test('an empty log is intact, with the genesis hash as its head', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    t.same(await verifyAuditChain(db), { ok: true, entries: 0, headSeq: 0, headHash: GENESIS_HASH });
  });
});

t.test('an untouched log is intact and reports its newest entry as the head', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    const rows = await seedAudit(db, 7);
    t.same(await verifyAuditChain(db, { batchSize: BATCH }), { ok: true, entries: 7, headSeq: 7, headHash: rows[6]!.hash });
    t.equal(rows[0]!.prev_hash, GENESIS_HASH, 'entry 1 starts from the genesis hash');
    t.equal(rows[3]!.prev_hash, rows[2]!.hash, 'each entry commits to the one before');
    t.same(await verifyAuditChain(db, { batchSize: BATCH, expectHead: { seq: 5, hash: rows[4]!.hash } }), { ok: true, entries: 7, headSeq: 7, headHash: rows[6]!.hash }, 'an older recorded head is still in the chain');
  });
});

t.test('when one entry is edited in place, verify names it as edited (hash-mismatch)', async (t) => {
  await forEachDatabase(t, async (t, { db, kind }) => {
    await seedAudit(db, 7);
    await allowTampering(db, kind);
    await sql`update audit_log set after = ${JSON.stringify({ n: 4, account: '9999999999' })} where seq = 4`.execute(db);
    const result = await verifyAuditChain(db, { batchSize: BATCH });
    t.equal(result.ok, false);
    if (result.ok) return;
    t.same(result.problem, { seq: 4, kind: 'hash-mismatch' });
    t.equal(result.entries, 3, 'entries before it were checked and intact');
    t.match(result.message, /\b4\b/);
  });
});

t.test('when an edited entry gets its hash recomputed, the next entry reports chain-broken and names the edited one as suspect', async (t) => {
  await forEachDatabase(t, async (t, { db, kind }) => {
    await seedAudit(db, 7);
    await allowTampering(db, kind);
    const { hash: _old, ...content } = await rowAt(db, 4);
    const forged = { ...content, actor: 'user:usr_someone_else' };
    await sql`update audit_log set actor = ${forged.actor}, hash = ${entryHash(forged)} where seq = 4`.execute(db);
    const result = await verifyAuditChain(db, { batchSize: BATCH });
    t.equal(result.ok, false);
    if (result.ok) return;
    t.same(result.problem, { seq: 5, kind: 'chain-broken', suspectSeq: 4 });
    t.equal(result.entries, 4, 'entry 4 itself is consistent; 5 is the first whose check fails');
  });
});

t.test('when a middle entry is deleted, verify reports a gap at the missing seq', async (t) => {
  await forEachDatabase(t, async (t, { db, kind }) => {
    await seedAudit(db, 7);
    await allowTampering(db, kind);
    await sql`delete from audit_log where seq = 4`.execute(db);
    const one = await verifyAuditChain(db, { batchSize: BATCH });
    t.same(one.ok ? undefined : one.problem, { seq: 4, kind: 'gap', lastMissingSeq: 4 });

    await sql`delete from audit_log where seq = 5`.execute(db);
    const two = await verifyAuditChain(db, { batchSize: BATCH });
    t.same(two.ok ? undefined : two.problem, { seq: 4, kind: 'gap', lastMissingSeq: 5 }, 'a run of deleted entries is named from first to last');
  });
});

t.test('when the first entry is deleted or no longer starts from genesis, verify reports first-entry', async (t) => {
  await forEachDatabase(t, async (t, { db, kind }) => {
    await seedAudit(db, 3);
    await allowTampering(db, kind);
    const { hash: _old, ...content } = await rowAt(db, 1);
    const forged = { ...content, prev_hash: 'ab'.repeat(32) };
    await sql`update audit_log set prev_hash = ${forged.prev_hash}, hash = ${entryHash(forged)} where seq = 1`.execute(db);
    const replaced = await verifyAuditChain(db);
    t.same(replaced.ok ? undefined : replaced.problem, { seq: 1, kind: 'first-entry' });

    await sql`delete from audit_log where seq = 1`.execute(db);
    const deleted = await verifyAuditChain(db);
    t.same(deleted.ok ? undefined : deleted.problem, { seq: 1, kind: 'first-entry' });
  });
});

t.test('when the newest entry is deleted, verify passes unless a recorded head is expected', async (t) => {
  await forEachDatabase(t, async (t, { db, kind }) => {
    const rows = await seedAudit(db, 7);
    const head = { seq: 7, hash: rows[6]!.hash };
    await allowTampering(db, kind);
    await sql`delete from audit_log where seq = 7`.execute(db);
    t.same(await verifyAuditChain(db, { batchSize: BATCH }), { ok: true, entries: 6, headSeq: 6, headHash: rows[5]!.hash }, 'a truncated chain is valid in itself');
    const anchored = await verifyAuditChain(db, { batchSize: BATCH, expectHead: head });
    t.equal(anchored.ok, false);
    if (anchored.ok) return;
    t.same(anchored.problem, { seq: 7, kind: 'head-missing', lastMissingSeq: 7 });
  });
});

t.test('when the chain is rewritten consistently from some entry on, only the recorded head catches it', async (t) => {
  await forEachDatabase(t, async (t, { db, kind }) => {
    const rows = await seedAudit(db, 6);
    await allowTampering(db, kind);
    let prevHash = rows[1]!.hash;
    for (const row of rows.slice(2)) {
      const { hash: _old, ...content } = row;
      const forged = { ...content, subject: `rewritten:${row.seq}`, prev_hash: prevHash };
      prevHash = entryHash(forged);
      await sql`update audit_log set subject = ${forged.subject}, prev_hash = ${forged.prev_hash}, hash = ${prevHash} where seq = ${row.seq}`.execute(db);
    }
    t.equal((await verifyAuditChain(db)).ok, true, 'a consistent rewrite passes the chain checks');
    const anchored = await verifyAuditChain(db, { expectHead: { seq: 4, hash: rows[3]!.hash } });
    t.same(anchored.ok ? undefined : anchored.problem, { seq: 4, kind: 'head-mismatch' });
  });
});

t.test('from: verification starts at an entry, trusting the one before it', async (t) => {
  await forEachDatabase(t, async (t, { db, kind }) => {
    const rows = await seedAudit(db, 7);
    t.same(await verifyAuditChain(db, { from: 5, batchSize: BATCH }), { ok: true, entries: 3, headSeq: 7, headHash: rows[6]!.hash });
    t.same(await verifyAuditChain(db, { from: 8 }), { ok: true, entries: 0, headSeq: 7, headHash: rows[6]!.hash }, 'from just past the head');
    await allowTampering(db, kind);
    await sql`update audit_log set action = 'x' where seq = 2`.execute(db);
    t.equal((await verifyAuditChain(db, { from: 5 })).ok, true, 'entries before from are not checked');
    await sql`delete from audit_log where seq = 4`.execute(db);
    const result = await verifyAuditChain(db, { from: 5 });
    t.same(result.ok ? undefined : result.problem, { seq: 4, kind: 'gap', lastMissingSeq: 4 }, 'a missing anchor is a deletion');
    await t.rejects(verifyAuditChain(db, { from: 0 }), { code: 'STW_REQUEST_INVALID' });
    await t.rejects(verifyAuditChain(db, { from: 5, expectHead: { seq: 2, hash: rows[1]!.hash } }), { code: 'STW_REQUEST_INVALID' });
  });
});
