// Concurrent decisions and publications: one approval wins, version numbers stay gapless, the
// audit chain stays whole.
import t from 'tap';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import { errorCode } from '../../helpers/server-harness.js';
import { startProfileWorld } from '../../helpers/profile-server.js';

forEachKind(t, 'two operators approving one change at once publish it once; ten corrections at once make ten versions', async (t, kind) => {
  const world = await startProfileWorld(t, { database: kind });
  const [ana, bob, carol] = [await world.operatorUser('ana'), await world.operatorUser('bob'), await world.operatorUser('carol')];
  await world.merchant('M1');
  await world.seedProfile('M1', ana, bob);
  const pending = (await world.as(ana.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: { fees: { debit: { rate_bps: 31 }, credit: { rate_bps: 121 } } } })).json<{ id: string }>();
  const answers = await Promise.all([bob, carol].map((approver) => world.as(approver.token, 'POST', `/v1/profile-changes/${pending.id}/approve`)));
  t.same(answers.map((answer) => answer.statusCode).sort(), [200, 409]);
  t.equal(errorCode(answers.find((answer) => answer.statusCode === 409)!), 'STW_PROFILE_CHANGE_STATE');

  const corrections = await Promise.all(Array.from({ length: 10 }, (_, i) => world.as(ana.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: { receipt_header: [`Line ${i}`] } })));
  t.same(corrections.map((answer) => answer.statusCode), Array(10).fill(201));
  const { db } = world.server.database;
  const versions = (await db.selectFrom('profile_versions').select('version').where('merchant_id', '=', 'M1').orderBy('version').execute()).map((row) => Number(row.version));
  t.same(versions, Array.from({ length: 12 }, (_, i) => i + 1), 'seed, one approval, ten corrections: gapless');
  t.same(corrections.map((answer) => answer.json<{ publishedVersion: number }>().publishedVersion).sort((a, b) => a - b), Array.from({ length: 10 }, (_, i) => i + 3));
  const seqs = (await db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((row) => Number(row.seq));
  t.same(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'the audit log has no gap');
});
