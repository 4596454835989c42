/**
 * The agent applies the parameter profile the director names: signed fetch, verified against
 * the director's target, applied with the host's check, reported on the next check-in.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { profileBytes } from '../profile/fixtures/profiles.js';
import { lastReportedProfileVersion, profileEvents, profileWorld, sha } from './fixtures/profile-world.js';

const TEN_MINUTES = 600_000;
const HOLD_OFF = 3_600_000; // defaultAgentConfig.failedTargetHoldOffSeconds

t.test('a profile the director names is fetched with a signed GET, applied, and reported on the next check-in', async (t) => {
  const { world, server, terminal, deviceId } = await profileWorld(t);
  t.equal(lastReportedProfileVersion(world, deviceId), undefined, 'no profile before');
  const published = await server.publish(deviceId, 2);
  await terminal.runFor(TEN_MINUTES);

  t.same(server.requests, [{ method: 'GET', deviceId, version: 2, verified: true }], 'one body-less GET signed by the device key');
  t.equal(await terminal.applier.appliedVersion(), 2);
  t.ok((await readFile(join(terminal.profileDirectory, 'profile.json'))).equals(published.bytes), 'the verified bytes are in force');
  t.same(terminal.profileHost.checked, [2], 'the host checked the new profile');
  t.match(profileEvents(world, deviceId), [{ kind: 'profile-applied', version: '2', targetPath: published.name, code: null }]);
  t.equal(profileEvents(world, deviceId).length, 1);
  t.equal(lastReportedProfileVersion(world, deviceId), 2, 'the check-in reports the applied version');
});

t.test('the applied version is not fetched again, across new director versions and a restart', async (t) => {
  const { world, server, terminal, deviceId } = await profileWorld(t);
  await server.publish(deviceId, 2);
  await terminal.runFor(TEN_MINUTES);
  await server.publish(deviceId, 2, { pollIntervalSeconds: 600 }); // a new director document, same profile
  await terminal.runFor(HOLD_OFF);
  terminal.powerOn();
  await terminal.runFor(HOLD_OFF);
  t.equal(server.requests.length, 1, 'fetched once');
  t.same(terminal.profileHost.checked, [2], 'applied once');
  t.equal(profileEvents(world, deviceId).length, 1, 'one profile-applied event');
  t.equal(lastReportedProfileVersion(world, deviceId), 2);
});

t.test('a newer version replaces the one in force', async (t) => {
  const { world, server, terminal, deviceId } = await profileWorld(t);
  await server.publish(deviceId, 2);
  await terminal.runFor(TEN_MINUTES);
  await server.publish(deviceId, 3);
  await terminal.runFor(TEN_MINUTES);
  t.equal(await terminal.applier.appliedVersion(), 3);
  t.match(profileEvents(world, deviceId), [{ kind: 'profile-applied', version: '2' }, { kind: 'profile-applied', version: '3' }]);
  t.equal(lastReportedProfileVersion(world, deviceId), 3);
});

t.test('the director may list sha512 as well: both are checked and the profile applies', async (t) => {
  const { server, terminal, deviceId } = await profileWorld(t);
  const bytes = profileBytes(2);
  await server.publish(deviceId, 2, { target: { hashes: { sha256: sha(bytes, 'sha256'), sha512: sha(bytes, 'sha512') } } });
  await terminal.runFor(TEN_MINUTES);
  t.equal(await terminal.applier.appliedVersion(), 2);
});

t.test('when the host check fails the previous profile is restored, profile-rolled-back is reported with its code, and the version is tried again after the hold-off', async (t) => {
  const { world, server, terminal, deviceId } = await profileWorld(t);
  await server.publish(deviceId, 1);
  await terminal.runFor(TEN_MINUTES);
  terminal.profileHost.answer = 'fail';
  const v2 = await server.publish(deviceId, 2);
  await terminal.runFor(TEN_MINUTES);

  t.equal(await terminal.applier.appliedVersion(), 1, 'version 1 is in force again');
  t.match(profileEvents(world, deviceId).at(-1), { kind: 'profile-rolled-back', version: '2', targetPath: v2.name, code: 'STW_DEVICE_PROFILE_CHECK_FAILED' });
  t.equal(lastReportedProfileVersion(world, deviceId), 1, 'the check-in reports the version in force');
  t.notOk(world.stub.eventsOf(deviceId).some((event) => event.kind === 'rejected'), "no 'rejected' event (that would flag a failed update)");

  await terminal.runFor(HOLD_OFF - 2 * TEN_MINUTES);
  t.equal(server.requests.filter((request) => request.version === 2).length, 1, 'not fetched again within the hold-off');
  terminal.profileHost.answer = 'ok';
  await terminal.runFor(2 * HOLD_OFF);
  t.equal(server.requests.filter((request) => request.version === 2).length, 2, 'fetched again after the hold-off');
  t.equal(await terminal.applier.appliedVersion(), 2);
  t.match(profileEvents(world, deviceId).at(-1), { kind: 'profile-applied', version: '2' });
  t.equal(lastReportedProfileVersion(world, deviceId), 2);
});

t.test('while the host is busy the apply waits, and happens on a later pass', async (t) => {
  const { world, server, terminal, deviceId } = await profileWorld(t);
  terminal.profileHost.busy = true;
  await server.publish(deviceId, 2);
  await terminal.runFor(TEN_MINUTES);
  t.equal(await terminal.applier.appliedVersion(), undefined, 'not applied in a transaction');
  t.same(profileEvents(world, deviceId), [], 'nothing reported');
  t.ok(world.stub.checkIns.filter((checkIn) => checkIn.deviceId === deviceId).length >= 5, 'tried again sooner than the poll interval');
  terminal.profileHost.busy = false;
  await terminal.runFor(TEN_MINUTES);
  t.equal(await terminal.applier.appliedVersion(), 2);
  t.equal(server.requests.length, 1, 'the verified bytes were kept while the apply waited');
  t.match(profileEvents(world, deviceId), [{ kind: 'profile-applied', version: '2' }]);
});

t.test('a network failure backs off and the fetch is tried again; it does not count as a refusal', async (t) => {
  const { world, server, terminal, deviceId } = await profileWorld(t);
  server.failNext = 1;
  await server.publish(deviceId, 2);
  let backedOff = false;
  for (let ticks = 0; ticks < 40 && !backedOff; ticks++) {
    const result = await terminal.agent.tick();
    backedOff = result.phase.kind === 'backing-off';
    if (backedOff) t.match(result.phase, { kind: 'backing-off', code: 'STW_DEVICE_HTTP_STATUS', failures: 1 });
    else world.clock.advance(result.delayMs);
  }
  t.ok(backedOff, 'the agent backed off');
  await terminal.runFor(TEN_MINUTES);
  t.equal(server.requests.length, 2, 'asked again after the back-off');
  t.equal(await terminal.applier.appliedVersion(), 2);
  t.match(profileEvents(world, deviceId), [{ kind: 'profile-applied', version: '2' }]);
});
