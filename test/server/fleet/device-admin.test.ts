// Operator device administration: lists by flag, pages, assignment, status changes, the fleet summary.
import t from 'tap';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import { asOperator, startFleetServer } from '../../helpers/fleet-harness.js';
import { errorCode, operator } from '../../helpers/server-harness.js';

interface Page {
  devices: { id: string; flags: string[]; status: string }[];
  next: string | null;
}

forEachKind(t, 'flags, filters, pages and the fleet summary', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const token = await fleet.enrolmentToken({ uses: 10 });
  const paperOut = await fleet.enrolWithToken({ token, hardwareModel: 't100' });
  const healthy = await fleet.enrolWithToken({ token, hardwareModel: 't100' });
  const silent = await fleet.enrolWithToken({ token, hardwareModel: 't200' });
  const disabled = await fleet.enrolWithToken({ token, hardwareModel: 't200' });
  await operator(fleet, 'POST', `/v1/operator/devices/${disabled.deviceId}/disable`);
  fleet.advance(7200);
  await paperOut.checkIn({ installed: [{ component: 'firmware', version: '1.0.0' }], health: { printer: { paper: 'out' } } });
  await healthy.checkIn({ installed: [{ component: 'firmware', version: '1.1.0' }], health: { printer: { paper: 'ok' } } });

  const list = async (query: string) => (await operator(fleet, 'GET', `/v1/operator/devices${query}`)).json<Page>();
  t.same((await list('?flag=paper-out')).devices.map((device) => device.id), [paperOut.deviceId]);
  t.same((await list('?flag=offline')).devices.map((device) => device.id), [silent.deviceId], 'never seen for longer than offlineAfterSeconds; a disabled device is not offline');
  t.same((await list('?flag=update-failed')).devices, []);
  t.same((await list('?status=disabled')).devices.map((device) => device.id), [disabled.deviceId]);
  t.same((await list('?hardwareModel=t200&status=active')).devices.map((device) => device.id), [silent.deviceId]);
  t.same((await list('?firmwareVersion=1.1.0')).devices.map((device) => device.id), [healthy.deviceId]);
  t.equal(errorCode(await operator(fleet, 'GET', '/v1/operator/devices?flag=on-fire')), 'STW_REQUEST_INVALID');

  const all = [paperOut, healthy, silent, disabled].map((terminal) => terminal.deviceId).sort();
  const first = await list('?limit=3');
  t.same(first.devices.map((device) => device.id), all.slice(0, 3));
  t.equal(first.next, all[2]);
  const second = await list(`?limit=3&after=${first.next}`);
  t.same(second.devices.map((device) => device.id), all.slice(3));
  t.equal(second.next, null);

  const summary = (await operator(fleet, 'GET', '/v1/operator/fleet/summary')).json();
  t.same(summary, {
    total: 4,
    byStatus: { active: 3, disabled: 1, 'swapped-out': 0 },
    models: [
      { hardwareModel: 't100', firmwareVersion: '1.0.0', count: 1 },
      { hardwareModel: 't100', firmwareVersion: '1.1.0', count: 1 },
      { hardwareModel: 't200', firmwareVersion: null, count: 1 },
    ],
    flags: { offline: 1, 'paper-out': 1, 'update-failed': 0, 'profile-not-applied': 0 },
  });
});

t.test('assignment and status changes', async (t) => {
  const fleet = await startFleetServer(t);
  const terminal = await fleet.enrolWithToken();
  const url = `/v1/operator/devices/${terminal.deviceId}`;

  const patched = await asOperator(fleet, 'PATCH', url, { merchantId: 'm-1', tags: ['a', 'a', 'b'], timeZone: 'America/New_York' });
  t.equal(patched.statusCode, 200);
  t.same(patched.json<{ merchantId: string; tags: string[]; timeZone: string }>(), { ...patched.json<object>(), merchantId: 'm-1', tags: ['a', 'b'], timeZone: 'America/New_York' });
  t.equal(errorCode(await asOperator(fleet, 'PATCH', url, { timeZone: 'Mars/Olympus_Mons' })), 'STW_REQUEST_INVALID');
  await fleet.database.db.updateTable('devices').set({ terminal_id: 'TID-OLD' }).where('id', '=', terminal.deviceId).execute();
  await asOperator(fleet, 'PATCH', url, { tags: ['c'] });
  t.equal((await fleet.database.db.selectFrom('devices').select('terminal_id').where('id', '=', terminal.deviceId).executeTakeFirstOrThrow()).terminal_id, 'TID-OLD', 'the terminal id stays while the merchant does');
  t.equal((await asOperator(fleet, 'PATCH', url, { merchantId: null })).json<{ merchantId: string | null }>().merchantId, null, 'unassigned');
  t.equal((await fleet.database.db.selectFrom('devices').select('terminal_id').where('id', '=', terminal.deviceId).executeTakeFirstOrThrow()).terminal_id, null, 'a device moved off its merchant loses its terminal id');

  t.equal(errorCode(await operator(fleet, 'POST', `${url}/enable`)), 'STW_REQUEST_INVALID', 'an active device cannot be enabled');
  t.equal((await operator(fleet, 'POST', `${url}/disable`)).json<{ status: string }>().status, 'disabled');
  t.equal((await operator(fleet, 'POST', `${url}/swapped-out`)).json<{ status: string }>().status, 'swapped-out');
  t.equal(errorCode(await operator(fleet, 'POST', `${url}/enable`)), 'STW_REQUEST_INVALID', 'swapped out is final');
  t.equal(errorCode(await operator(fleet, 'POST', `${url}/rekey`)), 'STW_REQUEST_INVALID', 'a swapped-out device cannot be re-keyed');

  const missing = '/v1/operator/devices/dev_00000000-0000-0000-0000-000000000000';
  t.equal(errorCode(await operator(fleet, 'GET', missing)), 'STW_NOT_FOUND');
  t.equal(errorCode(await operator(fleet, 'POST', `${missing}/disable`)), 'STW_NOT_FOUND');
  t.equal(errorCode(await operator(fleet, 'GET', `${missing}/history`)), 'STW_NOT_FOUND');
  t.equal(errorCode(await operator(fleet, 'GET', '/v1/operator/devices/not-a-device')), 'STW_REQUEST_INVALID');
});

interface AuditPage {
  entries: { action: string; actor: string; tenantId: string | null; subject: string; before: unknown; after: unknown }[];
}

forEachKind(t, 'device administration is audited in the same transaction', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const terminal = await fleet.enrolWithToken();
  const url = `/v1/operator/devices/${terminal.deviceId}`;
  const entries = async () => (await operator(fleet, 'GET', '/v1/audit?order=asc&limit=1000')).json<AuditPage>().entries.filter((entry) => entry.subject === `device:${terminal.deviceId}`);

  await asOperator(fleet, 'PATCH', url, { merchantId: 'm-1', timeZone: 'Europe/Paris' });
  await fleet.database.db.updateTable('devices').set({ terminal_id: 'TID-7' }).where('id', '=', terminal.deviceId).execute();
  await asOperator(fleet, 'PATCH', url, { merchantId: 'm-2' });
  await asOperator(fleet, 'PATCH', url, {}); // nothing to change: no entry
  t.equal(errorCode(await operator(fleet, 'POST', `${url}/enable`)), 'STW_REQUEST_INVALID', 'a refused change...');
  await operator(fleet, 'POST', `${url}/rekey`);
  await operator(fleet, 'POST', `${url}/disable`);

  const log = await entries();
  t.same(log.map((entry) => entry.action), ['device.assigned', 'device.assigned', 'device.rekey-allowed', 'device.disabled'], '...writes no entry, nor does an empty assignment');
  t.ok(log.every((entry) => entry.actor.startsWith('token:') || entry.actor.startsWith('user:')), 'the operator is the actor');
  t.match(log[0], { tenantId: 'm-1', before: { merchantId: null, terminalId: null, timeZone: 'UTC' }, after: { merchantId: 'm-1', timeZone: 'Europe/Paris' } });
  t.match(log[1], { tenantId: 'm-2', before: { merchantId: 'm-1', terminalId: 'TID-7' }, after: { merchantId: 'm-2', terminalId: null } }, 'a move records the terminal id it cleared');
  t.match(log[3], { tenantId: 'm-2', before: { status: 'active' }, after: { status: 'disabled' } });
  const verified = (await operator(fleet, 'GET', '/v1/audit/verify')).json<{ ok: boolean }>();
  t.equal(verified.ok, true, 'the chain stays intact');
});

forEachKind(t, 'concurrent status changes of one device take turns, and the audit says so', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const terminal = await fleet.enrolWithToken();
  const url = `/v1/operator/devices/${terminal.deviceId}`;
  await operator(fleet, 'POST', `${url}/disable`);
  const answers = await Promise.all([operator(fleet, 'POST', `${url}/enable`), operator(fleet, 'POST', `${url}/swapped-out`), operator(fleet, 'POST', `${url}/disable`)]);
  const final = (await operator(fleet, 'GET', url)).json<{ status: string }>().status;
  const log = (await operator(fleet, 'GET', '/v1/audit?order=asc&limit=1000')).json<AuditPage>().entries.filter((entry) => entry.subject === `device:${terminal.deviceId}`);
  const changes = log.map((entry) => [(entry.before as { status: string }).status, (entry.after as { status: string }).status]);
  for (let index = 1; index < changes.length; index++) t.equal(changes[index]?.[0], changes[index - 1]?.[1], `change ${index + 1} starts where change ${index} ended`);
  t.equal(changes.at(-1)?.[1], final, 'the last entry is the device state');
  t.equal(changes.length - 1, answers.filter((answer) => answer.statusCode === 200).length, 'one entry per accepted change');
});
