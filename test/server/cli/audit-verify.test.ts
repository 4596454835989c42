// `steward audit verify` and `audit head` on a SQLite data directory and on PostgreSQL
// (DATABASE_URL), against entries tampered with by raw SQL. The failing verifications run
// the real executable (one child process per database: each takes seconds to start); the
// rest run in this process.
import { join } from 'node:path';
import { sql } from 'kysely';
import t from 'tap';
import { openDatabase } from '../../../server/db/index.js';
import { withTestDatabase } from '../../helpers/databases.js';
import { allowTampering, seedAudit } from '../audit/audit-fixtures.js';
import { makeWorkDir, printedCode, steward, stewardInProcess } from './cli-harness.js';

const INTACT = /^audit log intact: (\d+) entries, head (\d+) ([0-9a-f]{64})$/m;

t.test('on a SQLite data directory: intact, head recorded, then one entry edited, the newest deleted', async (t) => {
  const work = makeWorkDir(t);
  t.equal((await stewardInProcess(['init', '--data-dir', work.dataDir])).code, 0);
  const database = openDatabase({ url: `sqlite:${join(work.dataDir, 'steward.db')}` });
  t.teardown(() => database.close());
  const rows = await seedAudit(database.db, 5);

  const intact = await stewardInProcess(['audit', 'verify', '--data-dir', work.dataDir]);
  t.equal(intact.code, 0, intact.stderr);
  t.same(INTACT.exec(intact.stdout)?.slice(1), ['5', '5', rows[4]!.hash]);

  const head = await stewardInProcess(['audit', 'head', '--data-dir', work.dataDir]);
  t.equal(head.code, 0);
  t.equal(head.stdout, `5:${rows[4]!.hash}\n`, 'only SEQ:HASH on stdout');

  await allowTampering(database.db, 'sqlite');
  await sql`update audit_log set after = '{"n":3,"account":"4111111111111111"}' where seq = 3`.execute(database.db);
  const edited = await steward(['audit', 'verify', '--data-dir', work.dataDir]);
  t.equal(edited.code, 1);
  t.equal(printedCode(edited), 'STW_AUDIT_BROKEN');
  t.match(edited.stderr, /audit entry 3 was edited/);
  t.equal(edited.stdout, '', 'nothing claims the log is intact');
  const noHead = await stewardInProcess(['audit', 'head', '--data-dir', work.dataDir]);
  t.equal(noHead.code, 1, 'no head is printed for a broken chain');
  t.equal(noHead.stdout, '');

  await sql`update audit_log set after = ${rows[2]!.after} where seq = 3`.execute(database.db);
  await sql`delete from audit_log where seq = 5`.execute(database.db);
  const truncated = await stewardInProcess(['audit', 'verify', '--data-dir', work.dataDir]);
  t.equal(truncated.code, 0, 'deleting the newest entry is invisible without a recorded head');
  t.match(truncated.stdout, /intact: 4 entries, head 4/);
  const anchored = await stewardInProcess(['audit', 'verify', '--data-dir', work.dataDir, '--expect-head', head.stdout.trim()]);
  t.equal(anchored.code, 1);
  t.equal(printedCode(anchored), 'STW_AUDIT_BROKEN');
  t.match(anchored.stderr, /audit entry 5 was deleted/);
});

t.test('on PostgreSQL through DATABASE_URL: a deleted middle entry is named', async (t) => {
  const { db, url } = await withTestDatabase(t, 'postgres');
  const rows = await seedAudit(db, 4);
  const env = { DATABASE_URL: url };
  const intact = await stewardInProcess(['audit', 'verify', '--expect-head', `2:${rows[1]!.hash}`], env);
  t.equal(intact.code, 0, intact.stderr);
  t.same(INTACT.exec(intact.stdout)?.slice(1), ['4', '4', rows[3]!.hash]);
  t.match(intact.stdout, /recorded head 2 is in the chain/);

  await allowTampering(db, 'postgres');
  await sql`delete from audit_log where seq = 2`.execute(db);
  const deleted = await steward(['audit', 'verify'], { env });
  t.equal(deleted.code, 1);
  t.equal(printedCode(deleted), 'STW_AUDIT_BROKEN');
  t.match(deleted.stderr, /audit entry 2 was deleted/);
});

t.test('when the expected head is not SEQ:HASH, or there is no database, verify says so', async (t) => {
  const work = makeWorkDir(t);
  const malformed = await stewardInProcess(['audit', 'verify', '--data-dir', work.dataDir, '--expect-head', '5:abc']);
  t.equal(malformed.code, 2);
  t.equal(printedCode(malformed), 'STW_CLI_USAGE');
  const missing = await stewardInProcess(['audit', 'verify', '--data-dir', work.path('no-such-dir')]);
  t.equal(missing.code, 1);
  t.equal(printedCode(missing), 'STW_CLI_FILE_UNREADABLE', 'a mistyped data directory is not reported as an empty, intact log');
});

t.test('audit list prints the entries oldest first, or the newest first, as a table or JSON', async (t) => {
  const work = makeWorkDir(t);
  t.equal((await stewardInProcess(['init', '--data-dir', work.dataDir])).code, 0);
  const database = openDatabase({ url: `sqlite:${join(work.dataDir, 'steward.db')}` });
  t.teardown(() => database.close());
  await seedAudit(database.db, 5);
  const table = await stewardInProcess(['audit', 'list', '--data-dir', work.dataDir, '--tenant', 'M1', '--limit', '2']);
  t.equal(table.code, 0);
  t.same(table.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0]), ['1', '3']);
  t.match(table.stderr, /--after 3/);
  const newest = await stewardInProcess(['audit', 'list', '--data-dir', work.dataDir, '--newest', '--limit', '2', '--json']);
  const page = JSON.parse(newest.stdout) as { entries: { seq: number; after: unknown }[]; next: number };
  t.same(page.entries.map((entry) => entry.seq), [5, 4]);
  t.same(page.entries[0]!.after, { n: 5, account: '****1234' }, 'before and after come parsed');
  t.equal(page.next, 4);
});
