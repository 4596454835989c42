// Maker-checker over the HTTP API, on SQLite and PostgreSQL: direct publication, approval by a
// second operator, refusals, rejection, withdrawal, bounds, audit entries and notifications.
import t from 'tap';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import { errorCode } from '../../helpers/server-harness.js';
import { ATTACKER_IBAN, OLD_IBAN, startProfileWorld, type ProfileWorld, type SignedInUser } from '../../helpers/profile-server.js';

const NEW_IBAN = 'GB29NWBK60161331926819';
const newAccount = { settlement_account: { type: 'iban', iban: NEW_IBAN, bic: 'NWBKGB2L' } };

interface Change {
  id: string;
  state: string;
  publishedVersion: number | null;
  patch: Record<string, unknown>;
  diff?: { path: string; before: unknown; after: unknown }[];
}

async function currentVersion(world: ProfileWorld, merchantId: string): Promise<number | null> {
  const view = (await world.as(world.server.operatorToken, 'GET', `/v1/merchants/${merchantId}/profile`)).json<{ current: { version: number } | null }>();
  return view.current?.version ?? null;
}

async function setUp(t: Parameters<Parameters<typeof forEachKind>[2]>[0], kind: 'sqlite' | 'postgres') {
  const world = await startProfileWorld(t, { database: kind });
  const ana = await world.operatorUser('ana');
  const bob = await world.operatorUser('bob');
  await world.merchant('M1');
  await world.seedProfile('M1', ana, bob);
  const clerk = await world.merchantUser('M1', 'clerk', ana);
  return { world, ana, bob, clerk };
}

forEachKind(t, 'non-sensitive corrections publish at once; sensitive ones wait for a second operator', async (t, kind) => {
  const { world, ana, bob, clerk } = await setUp(t, kind);
  const propose = (who: SignedInUser, patch: Record<string, unknown>, layer = 'merchant') => world.as(who.token, 'POST', '/v1/merchants/M1/profile/changes', { layer, patch });

  const header = await propose(clerk, { receipt_header: ['Cafe Lumen', 'Open 7/7'], time_zone: 'Europe/Brussels' });
  t.equal(header.statusCode, 201);
  t.same([header.json<Change>().state, header.json<Change>().publishedVersion], ['published', 2]);
  t.equal(await currentVersion(world, 'M1'), 2);

  const account = await propose(clerk, newAccount);
  t.equal(account.statusCode, 202);
  const pending = account.json<Change>();
  t.equal(pending.state, 'pending');
  t.same(pending.patch['settlement_account'], { type: 'iban', iban: 'GB29 **** **** 6819', bic: 'NWBKGB2L' }, 'the answer masks the account');
  t.same(pending.diff?.find((entry) => entry.path === 'settlement_account.iban'), { path: 'settlement_account.iban', before: 'FR76 **** **** 0189', after: 'GB29 **** **** 6819' });
  t.equal(await currentVersion(world, 'M1'), 2, 'nothing published yet');
  t.equal(errorCode(await propose(clerk, { settlement_account: { type: 'iban', iban: ATTACKER_IBAN } })), 'STW_PROFILE_CONFLICT', 'one pending change per layer');

  const queue = (await world.as(bob.token, 'GET', '/v1/profile-changes?state=pending')).json<{ changes: Change[] }>().changes;
  t.same(queue.map((change) => change.id), [pending.id], 'the approval queue');
  t.ok(queue[0]?.diff?.some((entry) => entry.path === 'settlement_account.iban'), 'with its masked diff');

  const approved = await world.as(bob.token, 'POST', `/v1/profile-changes/${pending.id}/approve`);
  t.equal(approved.statusCode, 200);
  t.same([approved.json<Change>().state, approved.json<Change>().publishedVersion], ['published', 3]);
  t.equal(await currentVersion(world, 'M1'), 3);
  t.equal(errorCode(await world.as(ana.token, 'POST', `/v1/profile-changes/${pending.id}/approve`)), 'STW_PROFILE_CHANGE_STATE', 'a decided change stays decided');

  const view = (await world.as(clerk.token, 'GET', '/v1/merchants/M1/profile')).json<{ current: { profile: Record<string, unknown> } }>();
  t.same(view.current.profile['settlement_account'], { type: 'iban', iban: 'GB29 **** **** 6819', bic: 'NWBKGB2L' });
  t.equal(view.current.profile['time_zone'], 'Europe/Brussels');
});

forEachKind(t, 'who may approve: not the requester, not their other token, not an API token, not the creator of the requesting user', async (t, kind) => {
  const { world, ana, bob, clerk } = await setUp(t, kind);
  const propose = (token: string, patch: Record<string, unknown>) => world.as(token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch });

  const own = (await propose(ana.token, { fees: { debit: { rate_bps: 35 }, credit: { rate_bps: 120 } } })).json<Change>();
  t.equal(own.state, 'pending', 'an operator change to fees waits too');
  t.equal(errorCode(await world.as(ana.token, 'POST', `/v1/profile-changes/${own.id}/approve`)), 'STW_PROFILE_SELF_APPROVAL');
  const anaAgain = await world.signIn('ana');
  t.not(anaAgain.token, ana.token);
  t.equal(errorCode(await world.as(anaAgain.token, 'POST', `/v1/profile-changes/${own.id}/approve`)), 'STW_PROFILE_SELF_APPROVAL', 'a second session of the same user');
  t.equal(errorCode(await world.as(world.server.operatorToken, 'POST', `/v1/profile-changes/${own.id}/approve`)), 'STW_PROFILE_APPROVER_REQUIRED', 'an operator API token');
  t.equal(errorCode(await world.as(ana.token, 'POST', `/v1/profile-changes/${own.id}/reject`, { reason: 'mine' })), 'STW_PROFILE_SELF_APPROVAL', 'nor reject it');
  t.equal(errorCode(await world.as(clerk.token, 'POST', `/v1/profile-changes/${own.id}/approve`)), 'STW_AUTH_FORBIDDEN', 'a merchant user');
  t.equal((await world.as(ana.token, 'POST', `/v1/profile-changes/${own.id}/withdraw`)).json<Change>().state, 'withdrawn', 'the requester withdraws');

  t.equal(errorCode(await propose(world.server.operatorToken, newAccount)), 'STW_PROFILE_REQUESTER_REQUIRED', 'an operator API token cannot request a sensitive change');
  t.equal(errorCode(await propose(await world.merchantApiToken('M1'), newAccount)), 'STW_PROFILE_REQUESTER_REQUIRED', 'nor can a merchant API token');
  t.equal((await propose(await world.merchantApiToken('M1'), { receipt_header: ['API'] })).statusCode, 201, 'an API token may publish a correction');

  const fromClerk = (await propose(clerk.token, newAccount)).json<Change>();
  t.equal(errorCode(await world.as(ana.token, 'POST', `/v1/profile-changes/${fromClerk.id}/approve`)), 'STW_PROFILE_SELF_APPROVAL', 'ana created the clerk user, so she knew its password');
  const rejected = await world.as(bob.token, 'POST', `/v1/profile-changes/${fromClerk.id}/reject`, { reason: 'call the merchant first' });
  t.same([rejected.json<Change & { decisionReason: string }>().state, rejected.json<Change & { decisionReason: string }>().decisionReason], ['rejected', 'call the merchant first']);
  t.equal(await currentVersion(world, 'M1'), 2, 'only the API correction published');

  t.equal(errorCode(await world.as(world.server.operatorToken, 'POST', '/v1/merchants/M1/users', { username: 'ghost', password: 'a long enough password' })), 'STW_AUTH_FORBIDDEN', 'merchant users are created by a named operator');
});

forEachKind(t, 'withdraw: the requester or a colleague at the merchant; an approval re-validates against what is current', async (t, kind) => {
  const { world, ana, bob, clerk } = await setUp(t, kind);
  const colleague = await world.merchantUser('M1', 'colleague', ana);
  const first = (await world.as(clerk.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: newAccount })).json<Change>();
  t.equal(errorCode(await world.as(ana.token, 'POST', `/v1/profile-changes/${first.id}/withdraw`)), 'STW_AUTH_FORBIDDEN', 'an operator cannot withdraw a merchant request');
  t.equal((await world.as(colleague.token, 'POST', `/v1/merchants/M1/profile/changes/${first.id}/withdraw`)).json<Change>().state, 'withdrawn');
  t.equal(errorCode(await world.as(clerk.token, 'POST', `/v1/merchants/M1/profile/changes/${first.id}/withdraw`)), 'STW_PROFILE_CHANGE_STATE');

  // Credit 150 bp is fine today; then the contract narrows to 80-140 and the approval must fail.
  const fees = (await world.as(clerk.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: { fees: { debit: { rate_bps: 30 }, credit: { rate_bps: 150 } } } })).json<Change>();
  t.equal(fees.state, 'pending');
  t.equal((await world.as(world.server.operatorToken, 'PUT', '/v1/merchants/M1/bounds', { credit: { min_bps: 80, max_bps: 140 }, schemes: { amex: { min_bps: 200, max_bps: 300 } } })).statusCode, 200);
  const refused = await world.as(bob.token, 'POST', `/v1/profile-changes/${fees.id}/approve`);
  t.equal(refused.statusCode, 422);
  t.equal(errorCode(refused), 'STW_PROFILE_INVALID');
  t.same(refused.json<{ error: { details: { issues: { field: string; code: string }[] } } }>().error.details.issues.map((issue) => [issue.field, issue.code]), [['fees.credit.rate_bps', 'STW_PROFILE_FEE_OUT_OF_BOUNDS']]);
  t.equal((await world.as(bob.token, 'GET', `/v1/profile-changes/${fees.id}`)).json<Change>().state, 'pending', 'it stays pending, to be rejected or withdrawn');

  // Regression: a pending override of a terminal that was unassigned meanwhile must not break the queue.
  const terminal = await world.server.enrolWithToken({ serial: 'SN-GONE' });
  await world.as(world.server.operatorToken, 'PUT', `/v1/merchants/M1/terminals/${terminal.deviceId}`, { terminalId: 'T-GONE' });
  const override = (await world.as(clerk.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'terminal:T-GONE', patch: newAccount })).json<Change>();
  t.equal((await world.as(world.server.operatorToken, 'DELETE', `/v1/merchants/M1/terminals/${terminal.deviceId}`)).statusCode, 204);
  const queue = await world.as(bob.token, 'GET', '/v1/profile-changes?state=pending');
  t.equal(queue.statusCode, 200);
  t.same(queue.json<{ changes: Change[] }>().changes.find((change) => change.id === override.id)?.diff, undefined, 'listed, without a diff');
  t.equal(errorCode(await world.as(bob.token, 'POST', `/v1/profile-changes/${override.id}/approve`)), 'STW_PROFILE_NOT_FOUND', 'cannot be approved for a terminal that is gone');
});

forEachKind(t, 'contract bounds: a fee outside them is refused field by field; bounds below the fees in force are refused', async (t, kind) => {
  const { world, clerk } = await setUp(t, kind);
  t.equal((await world.as(world.server.operatorToken, 'PUT', '/v1/merchants/M1/bounds', { debit: { min_bps: 20, max_bps: 60 }, credit: { min_bps: 80, max_bps: 180 }, schemes: { amex: { min_bps: 200, max_bps: 300 } } })).statusCode, 200);
  const out = await world.as(clerk.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: { fees: { debit: { rate_bps: 30 }, credit: { rate_bps: 250 } } } });
  t.equal(out.statusCode, 422);
  const issues = out.json<{ error: { details: { issues: { field: string; code: string; params: Record<string, number> }[] } } }>().error.details.issues;
  t.same(issues.map((issue) => [issue.field, issue.code]), [['fees.credit.rate_bps', 'STW_PROFILE_FEE_OUT_OF_BOUNDS']]);
  t.same([issues[0]?.params['min'], issues[0]?.params['max']], [80, 180]);
  t.same(await world.server.database.db.selectFrom('profile_changes').select('id').where('state', '=', 'pending').execute(), [], 'nothing stored');

  const dryRun = (await world.as(clerk.token, 'POST', '/v1/merchants/M1/profile/validate', { layer: 'merchant', patch: { fees: { debit: { rate_bps: 30 }, credit: { rate_bps: 250 } }, mcc: '12' } })).json<{ valid: boolean; sensitive: boolean; issues: { field: string; code: string }[] }>();
  t.same([dryRun.valid, dryRun.sensitive], [false, true]);
  t.same(dryRun.issues.map((issue) => issue.code).sort(), ['STW_PROFILE_FEE_OUT_OF_BOUNDS', 'STW_PROFILE_MCC']);

  const narrow = await world.as(world.server.operatorToken, 'PUT', '/v1/merchants/M1/bounds', { credit: { min_bps: 80, max_bps: 100 }, schemes: { amex: { min_bps: 200, max_bps: 300 } } });
  t.equal(errorCode(narrow), 'STW_PROFILE_INVALID', 'the published credit rate (120) would be outside');
  t.equal(errorCode(await world.as(world.server.operatorToken, 'PUT', '/v1/merchants/M1/bounds', { credit: { min_bps: 90, max_bps: 80 } })), 'STW_PROFILE_INVALID', 'an empty range');
  t.equal(errorCode(await world.as(clerk.token, 'PUT', '/v1/merchants/M1/bounds', { credit: { min_bps: 0, max_bps: 10000 } })), 'STW_AUTH_FORBIDDEN', 'merchants cannot set their own bounds');
});

forEachKind(t, 'every step is audited with masked before/after, and notifications carry only the last digits', async (t, kind) => {
  const { world, bob, clerk } = await setUp(t, kind);
  const pending = (await world.as(clerk.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: newAccount })).json<Change>();
  await world.as(bob.token, 'POST', `/v1/profile-changes/${pending.id}/approve`);
  const { db } = world.server.database;

  const audit = await db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'before', 'after']).where('subject', '=', `profile-change:${pending.id}`).orderBy('seq').execute();
  t.same(audit.map((entry) => [entry.action, entry.actor]), [['profile.change.requested', `user:${clerk.id}`], ['profile.change.approved', `user:${bob.id}`]]);
  const approvedEntry = JSON.parse(audit[1]?.after ?? '{}') as { fields: { settlement_account: { iban: string } }; state: string };
  t.same([approvedEntry.state, approvedEntry.fields.settlement_account.iban], ['published', 'GB29 **** **** 6819']);
  t.same((JSON.parse(audit[1]?.before ?? '{}') as { fields: { settlement_account: { iban: string } } }).fields.settlement_account.iban, 'FR76 **** **** 0189', 'before: the old account, masked');

  const hooks = await db.selectFrom('webhook_deliveries').select(['event', 'body']).where('merchant_id', '=', 'M1').orderBy('created_at').execute();
  const events = hooks.map((hook) => hook.event);
  t.ok(events.includes('profile.change.requested') && events.includes('profile.change.approved') && events.includes('profile.published'), events.join(', '));
  const requested = JSON.parse(hooks.find((hook) => hook.event === 'profile.change.requested' && hook.body.includes(pending.id))?.body ?? '{}') as { data: { changes: { settlement_account: unknown } } };
  t.same(requested.data.changes.settlement_account, { type: 'iban', country: 'GB', bic: 'NWBKGB2L', last_digits: '6819' });

  const everything = JSON.stringify([audit, await db.selectFrom('audit_log').selectAll().execute(), hooks]);
  for (const iban of [NEW_IBAN, OLD_IBAN]) {
    t.notOk(everything.includes(iban), `no full account in audit or webhooks (${iban.slice(0, 4)})`);
    t.notOk(everything.includes(iban.slice(4, -4)), 'not even its middle digits');
  }
});

forEachKind(t, 'no response ever carries a full account number', async (t, kind) => {
  const { world, ana, bob, clerk } = await setUp(t, kind);
  const terminal = await world.server.enrolWithToken({ serial: 'SN-1' });
  await world.as(world.server.operatorToken, 'PUT', `/v1/merchants/M1/terminals/${terminal.deviceId}`, { terminalId: 'T-1' });
  const override = (await world.as(clerk.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'terminal:T-1', patch: newAccount })).json<Change>();
  await world.as(bob.token, 'POST', `/v1/profile-changes/${override.id}/approve`);
  const pending = (await world.as(clerk.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: { settlement_account: { type: 'us', routing_number: '021000021', account_number: '123456789012' } } })).json<Change>();
  const bodies: string[] = [];
  for (const [token, url] of [
    [clerk.token, '/v1/merchants/M1/profile'], [clerk.token, '/v1/merchants/M1/profile/versions'], [clerk.token, '/v1/merchants/M1/profile/versions/1'],
    [clerk.token, '/v1/merchants/M1/profile/versions/2'], [clerk.token, '/v1/merchants/M1/profile/diff?from=0&to=2'], [clerk.token, '/v1/merchants/M1/profile/changes'],
    [clerk.token, `/v1/merchants/M1/profile/changes/${pending.id}`], [ana.token, '/v1/profile-changes'], [ana.token, `/v1/profile-changes/${override.id}`],
    [ana.token, '/v1/merchants/M1'], [clerk.token, '/v1/merchants/M1/terminals'],
  ] as const) {
    const response = await world.as(token, 'GET', url);
    t.equal(response.statusCode, 200, url);
    bodies.push(response.body);
  }
  bodies.push((await world.as(clerk.token, 'POST', '/v1/merchants/M1/profile/validate', { layer: 'merchant', patch: { settlement_account: { type: 'iban', iban: ATTACKER_IBAN } } })).body);
  const all = bodies.join('\n');
  for (const number of [OLD_IBAN, NEW_IBAN, ATTACKER_IBAN, '123456789012', '30006000011234567890', '370400440532013000']) t.notOk(all.includes(number), `no ${number.slice(0, 6)}... in any response`);
  t.ok(all.includes('**** **** 9012'), 'the masked US account appears');
});
