import { sql } from 'kysely';
import t, { type Test } from 'tap';
import { issueToken } from '../../../server/index.js';
import type { AuditEntryView, AuditPage } from '../../../server/audit/index.js';
import { DATABASE_KINDS } from '../../helpers/databases.js';
import { errorCode, operator, startTestServer, type TestServer } from '../../helpers/server-harness.js';
import { T0, allowTampering, seedAudit } from './audit-fixtures.js';

async function world(t: Test, database: (typeof DATABASE_KINDS)[number]) {
  const server = await startTestServer(t, { database });
  const db = server.database.db;
  for (const id of ['M1', 'M2']) await db.insertInto('merchants').values({ id, name: `Merchant ${id}`, webhook_url: null, webhook_secret: null, fee_bounds: null, created_at: new Date(T0).toISOString() }).execute();
  const rows = await seedAudit(db, 7);
  const m1 = (await issueToken(db, { scope: { kind: 'merchant', merchantId: 'M1' }, label: 'M1 staff' })).token;
  return { server, db, rows, m1 };
}

const as = (server: TestServer, token: string, url: string) => server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
const seqs = (page: AuditPage) => page.entries.map((entry) => entry.seq);

for (const kind of DATABASE_KINDS) {
  t.test(`${kind}: operators page through the whole log with parsed before and after`, async (t) => {
    const { server, rows } = await world(t, kind);
    const first = (await operator(server, 'GET', '/v1/audit?limit=3')).json<AuditPage>();
    t.same(seqs(first), [1, 2, 3]);
    t.equal(first.next, 3);
    const entry = first.entries[1] as AuditEntryView;
    t.same(entry, { seq: 2, at: new Date(T0 + 2000).toISOString(), actor: 'user:usr_ana', action: 'test.changed', tenantId: 'M2', subject: 'thing:2', before: { n: 1 }, after: { n: 2, account: '****1234' }, prevHash: rows[0]!.hash, hash: rows[1]!.hash });
    const last = (await operator(server, 'GET', '/v1/audit?after=6&limit=3')).json<AuditPage>();
    t.same(seqs(last), [7]);
    t.equal(last.next, null, 'no cursor after the last page');
    const newest = (await operator(server, 'GET', '/v1/audit?order=desc&limit=2')).json<AuditPage>();
    t.same(seqs(newest), [7, 6]);
    t.same(seqs((await operator(server, 'GET', `/v1/audit?before=${newest.next}&limit=2`)).json<AuditPage>()), [5, 4], 'before alone pages newest first');
    t.same(seqs((await operator(server, 'GET', '/v1/audit?tenant=M2')).json<AuditPage>()), [2, 4, 6], 'tenant filter');
    t.equal(errorCode(await operator(server, 'GET', '/v1/audit?limit=0')), 'STW_REQUEST_INVALID');
  });

  t.test(`${kind}: a merchant sees only its own trail, and nothing of the whole log`, async (t) => {
    const { server, m1 } = await world(t, kind);
    const own = await as(server, m1, '/v1/merchants/M1/audit');
    t.equal(own.statusCode, 200);
    t.same(seqs(own.json<AuditPage>()), [1, 3, 5, 7]);
    t.same(seqs((await operator(server, 'GET', '/v1/merchants/M2/audit?order=desc&limit=2')).json<AuditPage>()), [6, 4], 'operators read any merchant trail');
    t.equal(errorCode(await as(server, m1, '/v1/merchants/M2/audit')), 'STW_AUTH_FORBIDDEN', "another merchant's trail");
    t.equal(errorCode(await as(server, m1, '/v1/audit?tenant=M1')), 'STW_AUTH_FORBIDDEN', 'the whole log');
    t.equal(errorCode(await as(server, m1, '/v1/audit/verify')), 'STW_AUTH_FORBIDDEN', 'verification');
  });

  t.test(`${kind}: verify answers the chain's state, naming a tampered entry`, async (t) => {
    const { server, db, rows } = await world(t, kind);
    const head = `7:${rows[6]!.hash}`;
    t.same((await operator(server, 'GET', '/v1/audit/verify')).json(), { ok: true, entries: 7, headSeq: 7, headHash: rows[6]!.hash });
    t.same((await operator(server, 'GET', `/v1/audit/verify?expectHead=${head}`)).json(), { ok: true, entries: 7, headSeq: 7, headHash: rows[6]!.hash });
    t.equal(errorCode(await operator(server, 'GET', '/v1/audit/verify?expectHead=7:nothex')), 'STW_REQUEST_INVALID');

    await allowTampering(db, kind);
    await sql`delete from audit_log where seq = 7`.execute(db);
    t.same((await operator(server, 'GET', '/v1/audit/verify')).json<{ ok: boolean }>().ok, true, 'a truncated tail passes without a recorded head');
    const truncated = (await operator(server, 'GET', `/v1/audit/verify?expectHead=${head}`)).json<{ ok: boolean; problem: unknown }>();
    t.same(truncated.problem, { seq: 7, kind: 'head-missing', lastMissingSeq: 7 });

    await sql`update audit_log set after = '{"n":3}' where seq = 3`.execute(db);
    const edited = await operator(server, 'GET', '/v1/audit/verify');
    t.equal(edited.statusCode, 200, 'a broken chain is an answer, not a failure of the request');
    t.same(edited.json<{ problem: unknown }>().problem, { seq: 3, kind: 'hash-mismatch' });
    t.match(edited.json<{ message: string }>().message, /\b3\b/);
  });
}
