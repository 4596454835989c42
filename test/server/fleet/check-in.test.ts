// Check-in and the director (protocol.md sections 3 and 4), on both databases.
import { createHash } from 'node:crypto';
import t from 'tap';
import { DirectorTargets, Metadata, verifyThreshold, type Root } from '../../../manifests/index.js';
import type { PlannedImage } from '../../../server/fleet/rollouts/rollout-planner.js';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import { asOperator, startFleetServer, type FleetTestServer, type TestTerminal } from '../../helpers/fleet-harness.js';
import { errorCode, operator } from '../../helpers/server-harness.js';

const installed = [{ component: 'firmware', version: '1.1.0', targetPath: 'acme/t100-fw-1.1.0.bin' }];
const image: PlannedImage = {
  rolloutId: 'rol_1', targetPath: 'acme/t100-fw-1.2.0.bin', component: 'firmware', version: '1.2.0', length: 1234,
  hashes: { sha256: 'a'.repeat(64), sha512: 'b'.repeat(128) }, hardwareId: 't100', installWindow: { start: '01:00', end: '04:00', timeZone: 'Europe/Paris' },
};

interface Answer {
  director: unknown;
  pollIntervalSeconds: number;
}

async function directorRoot(fleet: FleetTestServer): Promise<Root> {
  const response = await fleet.app.inject({ url: '/v1/director/metadata/root.json' });
  return Metadata.fromBytes('root', response.rawPayload).signed;
}

/** What a terminal does with the answer: threshold of the director root's targets role, then the director fields. */
async function verifyAnswer(fleet: FleetTestServer, answer: Answer): Promise<DirectorTargets> {
  const metadata = Metadata.fromJSON('targets', answer.director);
  verifyThreshold(metadata, (await directorRoot(fleet)).authority('targets'), 'director');
  return DirectorTargets.fromTargets(metadata.signed);
}

async function checkIn(terminal: TestTerminal, etag?: string, extra: Record<string, unknown> = {}) {
  return terminal.checkIn({ installed, profileVersion: null, ...extra }, etag === undefined ? {} : { headers: { 'if-none-match': etag } });
}

forEachKind(t, 'the director document, its ETag and the cheap 304', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const terminal = await fleet.enrolWithToken();

  const first = await checkIn(terminal);
  t.equal(first.statusCode, 200);
  const answer = first.json<Answer>();
  t.equal(answer.pollIntervalSeconds, 300);
  const etag = first.headers['etag'] as string;
  t.equal(etag, `"${createHash('sha256').update(JSON.stringify(answer.director)).digest('hex')}"`, 'the ETag is the SHA-256 of the director document');
  const director = await verifyAnswer(fleet, answer);
  t.equal(director.instructions.deviceId, terminal.deviceId);
  t.equal(director.instructions.pollIntervalSeconds, 300);
  t.equal(director.targets.version, 1);
  t.equal(director.targets.expires, '2027-06-02T12:00:00Z', 'expires 24 h after signing');
  t.same(director.images, []);

  const second = await checkIn(terminal, etag);
  t.equal(second.statusCode, 304);
  t.equal(second.body, '');
  t.equal(second.headers['etag'], etag);

  const lost = await checkIn(terminal);
  t.equal(lost.statusCode, 200, 'a device without the ETag gets the stored document again');
  t.equal(lost.headers['etag'], etag, 'unchanged, not re-signed');

  fleet.planner.plan = { images: [image], cancelledRollouts: ['rol_0'] };
  const changed = await checkIn(terminal, etag);
  t.equal(changed.statusCode, 200, 'a new plan means a new document');
  const next = await verifyAnswer(fleet, changed.json<Answer>());
  t.equal(next.targets.version, 2, 'version + 1');
  t.equal(next.images.length, 1);
  t.same({ path: next.images[0]?.file.path, rollout: next.images[0]?.rolloutId, hardware: next.images[0]?.hardwareId, version: next.images[0]?.version, length: next.images[0]?.file.length },
    { path: 'acme/t100-fw-1.2.0.bin', rollout: 'rol_1', hardware: 't100', version: '1.2.0', length: 1234 });
  t.same(next.images[0]?.file.hashes, image.hashes);
  t.same(next.instructions.installWindow, image.installWindow);
  t.same(next.instructions.cancelledRollouts, ['rol_0']);
  const newEtag = changed.headers['etag'] as string;
  t.equal((await checkIn(terminal, newEtag)).statusCode, 304);
  t.equal((await checkIn(terminal, `W/${newEtag}, "other"`)).statusCode, 304, 'a weak or listed tag matches too (RFC 9110 13.1.2)');

  fleet.advance(13 * 3600);
  const ageing = await checkIn(terminal, newEtag);
  t.equal(ageing.statusCode, 200, 'a document past half its life is re-signed');
  const renewed = await verifyAnswer(fleet, ageing.json<Answer>());
  t.equal(renewed.targets.version, 3);
  t.equal(renewed.targets.expires, '2027-06-03T01:00:00Z');
});

forEachKind(t, 'the 304 path records the check-in and signs nothing', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const terminal = await fleet.enrolWithToken();
  const etag = (await checkIn(terminal)).headers['etag'] as string;
  const signedAt = (await fleet.database.db.selectFrom('director_documents').select(['signed_at', 'version']).executeTakeFirstOrThrow());
  fleet.advance(60);
  const health = { printer: { paper: 'out' }, power: { source: 'battery', batteryPercent: 12, charging: false }, uptimeSeconds: 3600 };
  t.equal((await checkIn(terminal, etag, { health })).statusCode, 304);
  t.same(await fleet.database.db.selectFrom('director_documents').select(['signed_at', 'version']).executeTakeFirstOrThrow(), signedAt, 'the stored document is untouched');
  const device = (await operator(fleet, 'GET', `/v1/operator/devices/${terminal.deviceId}`)).json<{ lastSeenAt: string; health: unknown; flags: string[]; firmwareVersion: string }>();
  t.equal(device.lastSeenAt, fleet.now.toISOString());
  t.same(device.health, health);
  t.same(device.flags, ['paper-out']);
  t.equal(device.firmwareVersion, '1.1.0');
});

forEachKind(t, 'two concurrent check-ins after a plan change agree on one new version', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const terminal = await fleet.enrolWithToken();
  await checkIn(terminal);
  fleet.planner.plan = { images: [image], cancelledRollouts: [] };
  const answers = await Promise.all([checkIn(terminal), checkIn(terminal), checkIn(terminal)]);
  t.same(answers.map((answer) => answer.statusCode), [200, 200, 200]);
  t.equal(new Set(answers.map((answer) => answer.headers['etag'])).size, 1, 'one document');
  t.equal((await verifyAnswer(fleet, answers[0]!.json<Answer>())).targets.version, 2);
});

forEachKind(t, 'events are stored once and handed to the planner once; flags follow them', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const terminal = await fleet.enrolWithToken();
  const rolledBack = { id: '5b0c2a84-1d5e-4f34-9f0e-4b8e3a1c0d01', kind: 'rolled-back', at: '2027-06-01T11:59:00.000Z', rolloutId: 'rol_1', targetPath: image.targetPath, version: '1.2.0', code: 'STW_DEVICE_HEALTH_CHECK_FAILED' };
  t.equal((await checkIn(terminal, undefined, { events: [rolledBack] })).statusCode, 200);
  t.equal((await checkIn(terminal, undefined, { events: [rolledBack] })).statusCode, 200, 'the same event again (a lost answer)');
  t.equal(fleet.planner.recorded.length, 1, 'the planner hears of it once');
  t.equal(fleet.planner.recorded[0]?.events[0]?.code, 'STW_DEVICE_HEALTH_CHECK_FAILED');
  t.equal(fleet.planner.recorded[0]?.events[0]?.at.toISOString(), rolledBack.at);
  t.same((await operator(fleet, 'GET', `/v1/operator/devices/${terminal.deviceId}`)).json<{ flags: string[] }>().flags, ['update-failed']);
  const failed = (await operator(fleet, 'GET', '/v1/operator/devices?flag=update-failed')).json<{ devices: { id: string }[] }>();
  t.same(failed.devices.map((device) => device.id), [terminal.deviceId]);

  const committed = { ...rolledBack, id: '5b0c2a84-1d5e-4f34-9f0e-4b8e3a1c0d02', kind: 'committed', at: '2027-06-01T12:00:00.000Z', code: null };
  await checkIn(terminal, undefined, { events: [committed] });
  t.same((await operator(fleet, 'GET', `/v1/operator/devices/${terminal.deviceId}`)).json<{ flags: string[] }>().flags, [], 'a commit clears update-failed');
  const history = (await operator(fleet, 'GET', `/v1/operator/devices/${terminal.deviceId}/history`)).json<{ events: { kind: string; code: string | null }[] }>();
  t.same(history.events.map((event) => [event.kind, event.code]), [['committed', null], ['rolled-back', 'STW_DEVICE_HEALTH_CHECK_FAILED']]);
});

forEachKind(t, 'the planner is told the device facts', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const terminal = await fleet.enrolWithToken({ hardwareModel: 't200' });
  await asOperator(fleet, 'PATCH', `/v1/operator/devices/${terminal.deviceId}`, { merchantId: 'm-9', tags: ['north', 'pilot'], timeZone: 'Asia/Shanghai' });
  await checkIn(terminal);
  const facts = fleet.planner.facts.at(-1);
  t.same(
    { id: facts?.deviceId, model: facts?.hardwareModel, merchant: facts?.merchantId, tags: facts?.tags, zone: facts?.timeZone, installed: [...(facts?.installed ?? [])] },
    { id: terminal.deviceId, model: 't200', merchant: 'm-9', tags: ['north', 'pilot'], zone: 'Asia/Shanghai', installed: [['firmware', '1.1.0']] },
  );
});

forEachKind(t, 'check-in history: on change, and at least hourly', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const terminal = await fleet.enrolWithToken();
  const count = async () => (await fleet.database.db.selectFrom('check_ins').select('id').where('device_id', '=', terminal.deviceId).execute()).length;
  await checkIn(terminal);
  t.equal(await count(), 1, 'the first check-in');
  fleet.advance(300);
  await checkIn(terminal);
  t.equal(await count(), 1, 'nothing changed five minutes later');
  fleet.advance(300);
  await checkIn(terminal, undefined, { installed: [{ component: 'firmware', version: '1.2.0' }] });
  t.equal(await count(), 2, 'a new firmware version');
  fleet.advance(3600);
  await checkIn(terminal, undefined, { installed: [{ component: 'firmware', version: '1.2.0' }] });
  t.equal(await count(), 3, 'an hour later');
  const history = (await operator(fleet, 'GET', `/v1/operator/devices/${terminal.deviceId}/history?limit=2`)).json<{ checkIns: { at: string; installed: { version: string }[] }[] }>();
  t.equal(history.checkIns.length, 2, 'limit');
  t.equal(history.checkIns[0]?.at, fleet.now.toISOString(), 'newest first');
});

t.test('a malformed check-in body is refused after the signature and digest are checked', async (t) => {
  const fleet = await startFleetServer(t);
  const terminal = await fleet.enrolWithToken();
  t.equal(errorCode(await terminal.checkIn({ installed: 'everything' })), 'STW_REQUEST_INVALID');
  t.equal(errorCode(await terminal.checkIn({ installed: [], events: [{ id: 'e1e1e1e1e1', kind: 'exploded', at: '2027-06-01T12:00:00Z' }] })), 'STW_REQUEST_INVALID');
});

t.test('a new director root invalidates the stored documents', async (t) => {
  const fleet = await startFleetServer(t);
  const terminal = await fleet.enrolWithToken();
  const etag = (await checkIn(terminal)).headers['etag'] as string;
  t.equal((await fleet.uploadDirectorRoot(2)).statusCode, 200);
  const after = await checkIn(terminal, etag);
  t.equal(after.statusCode, 200);
  t.equal((await verifyAnswer(fleet, after.json<Answer>())).targets.version, 2);
});

t.test('without a director root the check-in cannot be answered', async (t) => {
  const fleet = await startFleetServer(t);
  const terminal = await fleet.enrolWithToken();
  await fleet.database.db.deleteFrom('director_roots').execute();
  t.equal(errorCode(await checkIn(terminal)), 'STW_DIRECTOR_NOT_INITIALISED');
});

t.test('profile not applied: the device holds a document naming profile N and reports another', async (t) => {
  const profile = { name: 'profiles/dev/4.json', length: 321, hashes: { sha256: 'c'.repeat(64) }, profileVersion: 4 };
  const fleet = await startFleetServer(t, { profiles: { profileFor: () => Promise.resolve(profile) } });
  const terminal = await fleet.enrolWithToken();
  const flags = async () => (await operator(fleet, 'GET', `/v1/operator/devices/${terminal.deviceId}`)).json<{ flags: string[] }>().flags;
  const first = await checkIn(terminal, undefined, { profileVersion: 3 });
  t.same((await verifyAnswer(fleet, first.json<Answer>())).profile?.profileVersion, 4, 'the director names the profile');
  t.same(await flags(), [], 'not yet: the device has only now received the document');
  const etag = first.headers['etag'] as string;
  await checkIn(terminal, etag, { profileVersion: 3 });
  t.same(await flags(), ['profile-not-applied']);
  t.same((await operator(fleet, 'GET', '/v1/operator/devices?flag=profile-not-applied')).json<{ devices: { id: string }[] }>().devices.map((device) => device.id), [terminal.deviceId]);
  await checkIn(terminal, etag, { profileVersion: 4 });
  t.same(await flags(), [], 'applied');
});
