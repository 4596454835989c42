// Versions: immutable, effective in order (scheduled ones served exactly from their time), the
// default layer's versions, diffs, adoption, and the catalog's cache across replicas.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import { createProfileServices } from '../../../server/profiles/index.js';
import type { DeviceRecord } from '../../../server/fleet/index.js';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import type { TestTerminal } from '../../helpers/fleet-harness.js';
import { errorCode } from '../../helpers/server-harness.js';
import { startProfileWorld, type ProfileWorld } from '../../helpers/profile-server.js';

async function namedVersion(terminal: TestTerminal, extra: Record<string, unknown> = {}): Promise<number | null> {
  const response = await terminal.checkIn({ installed: [], profileVersion: null, ...extra });
  const targets = response.json<{ director: { signed: { targets: Record<string, { custom?: { kind?: string; profile_version?: number } }> } } }>().director.signed.targets;
  return Object.values(targets).find((target) => target.custom?.kind === 'profile')?.custom?.profile_version ?? null;
}

async function assigned(world: ProfileWorld, merchantId: string, terminalId: string, serial = `SN-${terminalId}`): Promise<TestTerminal> {
  const terminal = await world.server.enrolWithToken({ serial });
  const response = await world.as(world.server.operatorToken, 'PUT', `/v1/merchants/${merchantId}/terminals/${terminal.deviceId}`, { terminalId });
  if (response.statusCode !== 200) throw new Error(response.body);
  return terminal;
}

forEachKind(t, 'versions are insert-only: the database refuses to update or delete one', async (t, kind) => {
  const world = await startProfileWorld(t, { database: kind });
  const [ana, bob] = [await world.operatorUser('ana'), await world.operatorUser('bob')];
  await world.merchant('M1');
  await world.seedProfile('M1', ana, bob);
  await world.as(world.server.operatorToken, 'PUT', '/v1/profiles/default', { patch: { time_zone: 'Europe/Paris' } });
  const { db } = world.server.database;
  const snapshot = async () => [await db.selectFrom('profile_versions').selectAll().orderBy('version').execute(), await db.selectFrom('profile_defaults').selectAll().execute()];
  const before = await snapshot();
  t.equal(before[0]?.length, 2, 'the default change made merchant version 2');
  await t.rejects(db.updateTable('profile_versions').set({ layers: '{}' }).where('merchant_id', '=', 'M1').execute(), 'UPDATE refused');
  await t.rejects(db.deleteFrom('profile_versions').where('version', '=', 1).execute(), 'DELETE refused');
  await t.rejects(db.updateTable('profile_defaults').set({ fields: '{}' }).execute(), 'UPDATE of a default version refused');
  await t.rejects(sql`delete from profile_defaults`.execute(db), 'DELETE of default versions refused');
  await world.as(ana.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: { receipt_header: ['v3'] } });
  const after = await snapshot();
  t.same([after[0]?.slice(0, 2), after[1]], before, 'earlier versions unchanged by later changes');
  t.equal(after[0]?.length, 3);
});

forEachKind(t, 'a version effective in the future is scheduled, and served exactly from its time', async (t, kind) => {
  const world = await startProfileWorld(t, { database: kind });
  const { server } = world;
  const [ana, bob] = [await world.operatorUser('ana'), await world.operatorUser('bob')];
  await world.merchant('M1');
  await world.seedProfile('M1', ana, bob);
  const terminal = await assigned(world, 'M1', 'T-1');
  t.equal(await namedVersion(terminal), 1);

  const at = new Date(server.now.getTime() + 3600_000).toISOString();
  const scheduled = await world.as(ana.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: { receipt_header: ['From 13:00'] }, effectiveAt: at });
  t.equal(scheduled.statusCode, 201);
  const correction = await world.as(ana.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: { time_zone: 'Europe/Brussels' } });
  t.equal(correction.json<{ publishedVersion: number }>().publishedVersion, 3, 'a later change builds on the scheduled one ...');
  const view = (await world.as(ana.token, 'GET', '/v1/merchants/M1/profile')).json<{ current: { version: number }; scheduled: { version: number; effectiveAt: string; status: string }[] }>();
  t.equal(view.current.version, 1);
  t.same(view.scheduled.map((entry) => [entry.version, entry.effectiveAt, entry.status]), [[2, at, 'scheduled'], [3, at, 'scheduled']], '... and takes effect with it, not before');

  t.equal(await namedVersion(terminal), 1, 'not served before its time');
  t.equal(errorCode(await terminal.send('GET', `/v1/devices/${terminal.deviceId}/profiles/2`, undefined)), 'STW_PROFILE_NOT_FOUND');
  server.advance(3599);
  t.equal(await namedVersion(terminal), 1, 'one second before');
  server.advance(1);
  t.equal(await namedVersion(terminal), 3, 'at its time, the newest effective version');
  t.equal((await terminal.send('GET', `/v1/devices/${terminal.deviceId}/profiles/3`, undefined)).statusCode, 200);
  const versions = (await world.as(ana.token, 'GET', '/v1/merchants/M1/profile/versions')).json<{ versions: { version: number; status: string }[] }>().versions;
  t.same(versions.map((entry) => [entry.version, entry.status]), [[3, 'current'], [2, 'superseded'], [1, 'superseded']]);
  const diff = (await world.as(ana.token, 'GET', '/v1/merchants/M1/profile/diff?from=1&to=3')).json<{ changes: { path: string; before: unknown; after: unknown }[] }>().changes;
  t.same(diff, [
    { path: 'receipt_header', before: ['Cafe Lumen', '12 Rue de la Paix'], after: ['From 13:00'] },
    { path: 'time_zone', before: 'Europe/Paris', after: 'Europe/Brussels' },
  ]);
  t.equal(errorCode(await world.as(ana.token, 'GET', '/v1/merchants/M1/profile/diff?from=1&to=9')), 'STW_PROFILE_NOT_FOUND');
});

forEachKind(t, 'the default layer: every merchant gets a new version; a default that breaks a merchant is refused', async (t, kind) => {
  const world = await startProfileWorld(t, { database: kind });
  const [ana, bob] = [await world.operatorUser('ana'), await world.operatorUser('bob')];
  await world.merchant('M1');
  await world.merchant('M2');
  await world.seedProfile('M1', ana, bob);
  await world.seedProfile('M2', ana, bob, { merchant_name: 'Boulangerie' });
  const terminal = await assigned(world, 'M1', 'T-1');

  const limits = { max_transaction_minor: 200000, max_refund_minor: 50000 };
  t.equal((await world.as(ana.token, 'PUT', '/v1/profiles/default', { patch: { limits } })).statusCode, 201, 'not sensitive: published');
  const unset = await world.as(ana.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch: { limits: null } });
  t.equal(unset.json<{ publishedVersion: number }>().publishedVersion, 3, 'M1: 1 seed, 2 the default change, 3 its own');
  const current = (await world.as(ana.token, 'GET', '/v1/merchants/M1/profile')).json<{ current: { profile: { limits: unknown }; defaultVersion: number } }>().current;
  t.same([current.profile.limits, current.defaultVersion], [limits, 1], 'the default shows through');
  t.equal(await namedVersion(terminal), 3);

  const breaking = await world.as(ana.token, 'PUT', '/v1/profiles/default', { patch: { limits: { max_transaction_minor: 100, max_refund_minor: 5000 } } });
  t.equal(breaking.statusCode, 422);
  t.same(breaking.json<{ error: { details: { issues: { field: string; params: { merchant_id: string } }[] } } }>().error.details.issues.map((issue) => [issue.field, issue.params.merchant_id]), [['limits.max_refund_minor', 'M1']], 'names the merchant it would break');

  const fees = await world.as(ana.token, 'PUT', '/v1/profiles/default', { patch: { fees: { debit: { rate_bps: 25 }, credit: { rate_bps: 100 } } } });
  t.equal(fees.statusCode, 202, 'fees in the default layer wait for approval too');
  const change = fees.json<{ id: string }>();
  t.same((await world.as(bob.token, 'GET', '/v1/profiles/default')).json<{ pendingChanges: { id: string }[] }>().pendingChanges.map((pending) => pending.id), [change.id]);
  t.equal(errorCode(await world.as(ana.token, 'POST', `/v1/profile-changes/${change.id}/approve`)), 'STW_PROFILE_SELF_APPROVAL');
  t.equal((await world.as(bob.token, 'POST', `/v1/profile-changes/${change.id}/approve`)).statusCode, 200);
  const latest = async (merchantId: string) => (await world.as(ana.token, 'GET', `/v1/merchants/${merchantId}/profile/versions?limit=1`)).json<{ versions: { version: number; defaultVersion: number }[] }>().versions[0];
  t.same(await latest('M1'), { ...(await latest('M1')), version: 4, defaultVersion: 2 });
  t.same(await latest('M2'), { ...(await latest('M2')), version: 3, defaultVersion: 2 });
  t.equal(await namedVersion(terminal), 4, 'the terminal document version grew');
  t.same((await world.as(bob.token, 'GET', '/v1/profiles/default')).json<{ current: { version: number } }>().current.version, 2);
});

forEachKind(t, 'adoption: applied on N of M terminals, and why the others lag', async (t, kind) => {
  const world = await startProfileWorld(t, { database: kind });
  const { server } = world;
  const [ana, bob] = [await world.operatorUser('ana'), await world.operatorUser('bob')];
  await world.merchant('M1');
  await world.seedProfile('M1', ana, bob);
  const sleeper = await assigned(world, 'M1', 'T-3');
  server.advance(7200); // longer than the offline threshold (1 h)
  const good = await assigned(world, 'M1', 'T-1');
  const bad = await assigned(world, 'M1', 'T-2');
  await good.checkIn({ installed: [], profileVersion: 1 });
  await bad.checkIn({ installed: [], profileVersion: null, events: [{ id: randomUUID(), kind: 'profile-rolled-back', at: server.now.toISOString(), version: '1', code: 'STW_DEVICE_PROFILE_SELF_CHECK' }] });
  const unnamed = await server.enrolWithToken({ serial: 'no spaces allowed' });
  await server.database.db.updateTable('devices').set({ merchant_id: 'M1' }).where('id', '=', unnamed.deviceId).execute(); // as if enrolled with a merchant's enrolment token
  await unnamed.checkIn({ installed: [], profileVersion: null });
  const fresh = await server.enrolWithToken({ serial: 'T100-0042' });
  await server.database.db.updateTable('devices').set({ merchant_id: 'M1' }).where('id', '=', fresh.deviceId).execute();
  t.equal(await namedVersion(fresh), 1, 'a serial that is a valid TID serves as the TID');

  const adoption = (await world.as(ana.token, 'GET', '/v1/merchants/M1/profile')).json<{ adoption: { version: number; applied: number; total: number; lagging: { deviceId: string; reason: string; code: string | null; terminalId: string | null }[] } }>().adoption;
  t.same([adoption.version, adoption.applied, adoption.total], [1, 1, 5]);
  const reasons = Object.fromEntries(adoption.lagging.map((entry) => [entry.deviceId, [entry.reason, entry.code, entry.terminalId]]));
  t.same(reasons, {
    [sleeper.deviceId]: ['offline', null, 'T-3'],
    [bad.deviceId]: ['rolled-back', 'STW_DEVICE_PROFILE_SELF_CHECK', 'T-2'],
    [unnamed.deviceId]: ['no-terminal-id', null, null],
    [fresh.deviceId]: ['pending', null, 'T100-0042'],
  });
  const terminals = (await world.as(ana.token, 'GET', '/v1/merchants/M1/terminals')).json<{ terminals: { deviceId: string; terminalId: string | null; profileVersion: number | null; flags: string[] }[] }>().terminals;
  t.same(terminals.find((terminal) => terminal.deviceId === bad.deviceId)?.flags, ['profile-not-applied']);
  t.equal(terminals.find((terminal) => terminal.deviceId === good.deviceId)?.profileVersion, 1);
  t.equal(errorCode(await world.as(ana.token, 'PUT', `/v1/merchants/M1/terminals/${fresh.deviceId}`, { terminalId: 'T-1' })), 'STW_MERCHANT_TERMINAL_EXISTS', 'a TID is unique within the merchant');
});

forEachKind(t, "another replica's catalog sees a publication within its TTL; this replica's at once", async (t, kind) => {
  const world = await startProfileWorld(t, { database: kind });
  const [ana, bob] = [await world.operatorUser('ana'), await world.operatorUser('bob')];
  await world.merchant('M1');
  await world.seedProfile('M1', ana, bob);
  const { db } = world.server.database;
  const terminal = await assigned(world, 'M1', 'T-1');
  const device = { id: terminal.deviceId, serial: 'SN-T-1', merchantId: 'M1', terminalId: 'T-1' } as DeviceRecord;
  let now = new Date('2027-06-01T12:00:00Z');
  const here = createProfileServices({ db, clock: () => now });
  const there = createProfileServices({ db, clock: () => now, catalog: { headTtlMs: 1000 } });
  t.equal((await here.catalog.profileFor(device, now))?.profileVersion, 1);
  t.equal((await there.catalog.profileFor(device, now))?.profileVersion, 1);
  const principal = { tokenId: 't', scope: { kind: 'operator' as const }, userId: ana.id, actor: `user:${ana.id}` };
  await here.changes.propose(principal, { merchantId: 'M1', layer: 'merchant', patch: { receipt_header: ['v2'] } });
  t.equal((await here.catalog.profileFor(device, now))?.profileVersion, 2, 'the publishing replica: at once');
  t.equal((await there.catalog.profileFor(device, now))?.profileVersion, 1, 'the other replica: still the cached version');
  now = new Date(now.getTime() + 1000);
  t.equal((await there.catalog.profileFor(device, now))?.profileVersion, 2, 'after the TTL');
  const first = await there.catalog.profileFor(device, now);
  t.same(await there.catalog.profileFor(device, now), first, 'stable answers from the cache');
});
