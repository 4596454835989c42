// The attack: with only a merchant's credentials, or as one operator approving their own
// request, no sequence of requests changes the settlement account terminals receive.
import t from 'tap';
import { ProfileDocument } from '../../../manifests/index.js';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import type { TestTerminal } from '../../helpers/fleet-harness.js';
import { errorCode } from '../../helpers/server-harness.js';
import { ATTACKER_IBAN, OLD_IBAN, PASSWORD, startProfileWorld, type ProfileWorld } from '../../helpers/profile-server.js';

const attackerAccount = { type: 'iban', iban: ATTACKER_IBAN, bic: 'COBADEFF' };

/** What terminal T-1 receives: the account in the bytes the director names and the device route serves. */
async function accountTerminalsReceive(world: ProfileWorld, terminal: TestTerminal): Promise<string> {
  const response = await terminal.checkIn({ installed: [], profileVersion: null });
  const targets = response.json<{ director: { signed: { targets: Record<string, { custom?: { kind?: string; profile_version?: number } }> } } }>().director.signed.targets;
  const version = Object.values(targets).find((target) => target.custom?.kind === 'profile')?.custom?.profile_version;
  const bytes = (await terminal.send('GET', `/v1/devices/${terminal.deviceId}/profiles/${version}`, undefined)).rawPayload;
  const account = ProfileDocument.fromBytes(bytes).fields.settlementAccount;
  return account.type === 'iban' ? account.iban : account.accountNumber;
}

async function world(t: Parameters<Parameters<typeof forEachKind>[2]>[0], kind: 'sqlite' | 'postgres') {
  const profiles = await startProfileWorld(t, { database: kind });
  const ana = await profiles.operatorUser('ana');
  const bob = await profiles.operatorUser('bob');
  await profiles.merchant('M1');
  await profiles.merchant('M2');
  await profiles.seedProfile('M1', ana, bob);
  const terminal = await profiles.server.enrolWithToken({ serial: 'SN-1' });
  await profiles.as(profiles.server.operatorToken, 'PUT', `/v1/merchants/M1/terminals/${terminal.deviceId}`, { terminalId: 'T-1' });
  const otherTerminal = await profiles.server.enrolWithToken({ serial: 'SN-2' });
  await profiles.as(profiles.server.operatorToken, 'PUT', `/v1/merchants/M2/terminals/${otherTerminal.deviceId}`, { terminalId: 'T-9' });
  return { profiles, ana, bob, terminal, otherTerminal };
}

async function noVersionHolds(t: Parameters<Parameters<typeof forEachKind>[2]>[0], profiles: ProfileWorld): Promise<void> {
  const rows = await profiles.server.database.db.selectFrom('profile_versions').select('layers').execute();
  const defaults = await profiles.server.database.db.selectFrom('profile_defaults').select('fields').execute();
  t.notOk(JSON.stringify([rows, defaults]).includes(ATTACKER_IBAN), 'no published version holds the attacker account');
}

forEachKind(t, "with only a merchant's credentials, the account terminals receive does not change", async (t, kind) => {
  const { profiles, ana, terminal, otherTerminal } = await world(t, kind);
  const session = await profiles.merchantUser('M1', 'clerk', ana);
  const apiToken = await profiles.merchantApiToken('M1');
  t.equal(await accountTerminalsReceive(profiles, terminal), OLD_IBAN);
  const changes = '/v1/merchants/M1/profile/changes';

  for (const token of [session.token, apiToken]) {
    const as = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => profiles.as(token, method, url, payload);
    // Propose, then try every way to get it approved.
    const proposed = await as('POST', changes, { layer: 'merchant', patch: { settlement_account: attackerAccount } });
    const id = proposed.statusCode === 202 ? proposed.json<{ id: string }>().id : undefined;
    if (token === apiToken) t.equal(errorCode(proposed), 'STW_PROFILE_REQUESTER_REQUIRED', 'an API token cannot even request it');
    else t.equal(proposed.json<{ state: string }>().state, 'pending', 'a session can request it: it waits');
    const target = id ?? 'chg_00000000-0000-0000-0000-000000000000';
    for (const action of ['approve', 'reject']) t.equal(errorCode(await as('POST', `/v1/profile-changes/${target}/${action}`, { reason: 'x' })), 'STW_AUTH_FORBIDDEN', `${action} via the operator route`);
    t.equal((await as('POST', `${changes}/${target}/approve`)).statusCode, 404, 'there is no merchant approve route');
    t.equal(errorCode(await as('POST', changes, { layer: 'merchant', patch: { settlement_account: attackerAccount }, state: 'published' })), token === apiToken ? 'STW_PROFILE_REQUESTER_REQUIRED' : 'STW_PROFILE_CONFLICT', 'a smuggled state is ignored');
    if (id) {
      t.equal((await as('POST', `${changes}/${id}/withdraw`)).json<{ state: string }>().state, 'withdrawn');
      t.equal((await as('POST', changes, { layer: 'merchant', patch: { settlement_account: attackerAccount, receipt_header: ['hi'] } })).json<{ state: string }>().state, 'pending', 'withdraw and propose again: pending again');
      t.equal((await as('POST', changes, { layer: 'terminal:T-1', patch: { settlement_account: attackerAccount } })).json<{ state: string }>().state, 'pending', 'a terminal override of the account waits too');
      t.equal((await as('POST', changes, { layer: 'terminal:T-1', patch: { fees: null } })).statusCode, 409, 'so does removing an override');
    }
    t.equal(errorCode(await as('POST', changes, { layer: 'terminal:T-9', patch: { settlement_account: attackerAccount } })), 'STW_PROFILE_NOT_FOUND', "another merchant's TID");
    t.equal(errorCode(await as('POST', changes, { layer: 'default', patch: { settlement_account: attackerAccount } })), 'STW_REQUEST_INVALID', 'the default layer through the merchant route');
    t.equal(errorCode(await as('POST', changes, { layer: 'merchant', patch: { Settlement_Account: attackerAccount } })), 'STW_REQUEST_INVALID', 'a key in another spelling');
    t.equal(errorCode(await as('POST', changes, { layer: 'merchant', patch: { merchant: { settlement_account: attackerAccount }, terminals: {} } })), 'STW_REQUEST_INVALID', 'a layers-shaped patch');
    t.equal((await as('POST', changes, { layer: 'merchant', patch: { receipt_header: ['Back in 5'] }, effectiveAt: '2000-01-01T00:00:00Z' })).statusCode, 201, 'a correction in the past publishes now, and only itself');
    t.equal(errorCode(await as('PUT', '/v1/profiles/default', { patch: { settlement_account: attackerAccount } })), 'STW_AUTH_FORBIDDEN', 'the operator default layer');
    t.equal(errorCode(await as('PATCH', '/v1/merchants/M1', { webhookUrl: 'https://attacker.example/' })), 'STW_AUTH_FORBIDDEN', 'redirect notifications');
    t.equal(errorCode(await as('PUT', '/v1/merchants/M1/bounds', {})), 'STW_AUTH_FORBIDDEN', 'contract bounds');
    t.equal(errorCode(await as('POST', '/v1/merchants/M1/users', { username: 'accomplice', password: PASSWORD })), 'STW_AUTH_FORBIDDEN', 'create a second user');
    t.equal(errorCode(await as('PUT', `/v1/merchants/M1/terminals/${otherTerminal.deviceId}`, { terminalId: 'T-2' })), 'STW_AUTH_FORBIDDEN', "take another merchant's terminal");
    t.equal(errorCode(await as('PATCH', `/v1/operator/devices/${terminal.deviceId}`, { merchantId: 'M2' })), 'STW_AUTH_FORBIDDEN', 'move its own terminal');
    t.equal(errorCode(await as('POST', '/v1/operator/tokens', { scope: 'operator', label: 'x' })), 'STW_AUTH_FORBIDDEN', 'mint an operator token');
    t.equal(errorCode(await as('GET', `/v1/devices/${terminal.deviceId}/profiles/1`)), 'STW_AUTH_FORBIDDEN', "read the terminal's full profile");
    t.equal(errorCode(await as('GET', '/v1/merchants/M2/profile')), 'STW_AUTH_FORBIDDEN', "another merchant's profile");
    t.equal((await as('GET', '/v1/sessions/current')).json<{ scope: string }>().scope, 'merchant:M1', 'still only the merchant');
    if (id === undefined) continue;
    for (const pending of (await as('GET', `${changes}?state=pending`)).json<{ changes: { id: string }[] }>().changes) await as('POST', `${changes}/${pending.id}/withdraw`);
  }
  t.equal(await accountTerminalsReceive(profiles, terminal), OLD_IBAN, 'terminals still receive the old account');
  await noVersionHolds(t, profiles);
});

forEachKind(t, 'an operator who requests a change cannot approve it, by any token or detour', async (t, kind) => {
  const { profiles, ana, terminal } = await world(t, kind);
  const anaAgain = await profiles.signIn('ana');
  const changes = '/v1/merchants/M1/profile/changes';
  const request = (token: string, layer = 'merchant') => profiles.as(token, 'POST', changes, { layer, patch: { settlement_account: attackerAccount } });
  const approveWith = async (id: string) => [ana.token, anaAgain.token, profiles.server.operatorToken].map((token) => profiles.as(token, 'POST', `/v1/profile-changes/${id}/approve`));

  const direct = (await request(ana.token)).json<{ id: string; state: string }>();
  t.equal(direct.state, 'pending');
  const [same, second, api] = await Promise.all(await approveWith(direct.id));
  t.same([errorCode(same!), errorCode(second!), errorCode(api!)], ['STW_PROFILE_SELF_APPROVAL', 'STW_PROFILE_SELF_APPROVAL', 'STW_PROFILE_APPROVER_REQUIRED'], 'same session, second session, operator API token');
  await profiles.as(ana.token, 'POST', `/v1/profile-changes/${direct.id}/withdraw`);

  // Detour 1: an operator API token as the requester, her session as the approver.
  const issued = (await profiles.as(ana.token, 'POST', '/v1/operator/tokens', { scope: 'operator', label: 'mine' })).json<{ token: string }>().token;
  t.equal(errorCode(await request(issued)), 'STW_PROFILE_REQUESTER_REQUIRED');
  // Detour 2: a merchant API token she issued.
  const merchantToken = (await profiles.as(ana.token, 'POST', '/v1/operator/tokens', { scope: 'merchant:M1', label: 'mine' })).json<{ token: string }>().token;
  t.equal(errorCode(await request(merchantToken)), 'STW_PROFILE_REQUESTER_REQUIRED');
  // Detour 3: a merchant user she created, whose password she knows.
  const puppet = await profiles.merchantUser('M1', 'puppet', ana);
  const viaPuppet = (await request(puppet.token, 'terminal:T-1')).json<{ id: string }>();
  t.equal(errorCode(await profiles.as(ana.token, 'POST', `/v1/profile-changes/${viaPuppet.id}/approve`)), 'STW_PROFILE_SELF_APPROVAL');
  // Detour 4: an operator user through the API (there is no such route; a role in the body is dropped).
  const operatorViaApi = await profiles.as(ana.token, 'POST', '/v1/merchants/M1/users', { username: 'ana2', password: PASSWORD, role: 'operator' });
  t.equal((await profiles.signIn('ana2')).username, 'ana2');
  t.equal(operatorViaApi.json<{ role: string }>().role, 'merchant', 'the API creates merchant users only');
  // Detour 5: the default layer.
  const viaDefault = (await profiles.as(ana.token, 'PUT', '/v1/profiles/default', { patch: { settlement_account: attackerAccount } })).json<{ id: string; state: string }>();
  t.equal(viaDefault.state, 'pending');
  const [d1, d2, d3] = await Promise.all(await approveWith(viaDefault.id));
  t.same([errorCode(d1!), errorCode(d2!), errorCode(d3!)], ['STW_PROFILE_SELF_APPROVAL', 'STW_PROFILE_SELF_APPROVAL', 'STW_PROFILE_APPROVER_REQUIRED']);

  t.equal(await accountTerminalsReceive(profiles, terminal), OLD_IBAN, 'terminals still receive the old account');
  await noVersionHolds(t, profiles);
});
