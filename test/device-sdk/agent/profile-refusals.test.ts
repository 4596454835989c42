/**
 * Profiles the agent refuses: bytes that do not match the director's target (hash, length),
 * a document that is not the version, merchant or terminal the target names, a schema
 * failure, a downgrade, and a profile the server does not serve. Each is reported as
 * `profile-rolled-back` with its code, nothing is applied, and the same director version
 * does not fetch the same bytes again.
 */
import t, { type Test } from 'tap';
import { profileBytes } from '../profile/fixtures/profiles.js';
import { lastReportedProfileVersion, profileEvents, profileWorld, sha } from './fixtures/profile-world.js';

const TEN_MINUTES = 600_000;
const HOLD_OFF = 3_600_000; // defaultAgentConfig.failedTargetHoldOffSeconds

async function expectRefused(t: Test, setUp: Awaited<ReturnType<typeof profileWorld>>, code: string, fetches: number) {
  const { world, server, terminal, deviceId } = setUp;
  await terminal.runFor(2 * HOLD_OFF); // many polls of the same director version
  const events = profileEvents(world, deviceId);
  t.match(events, [{ kind: 'profile-rolled-back', version: '2', code }], `refused with ${code}`);
  t.equal(events.length, 1, 'reported once, not at every poll');
  t.equal(server.requests.length, fetches, fetches === 0 ? 'nothing fetched' : 'fetched once for this director version');
  t.equal(await terminal.applier.appliedVersion(), undefined, 'nothing applied');
  t.same(terminal.profileHost.checked, [], 'the host never saw the bytes');
  t.equal(lastReportedProfileVersion(world, deviceId), undefined);
  t.notOk(world.stub.eventsOf(deviceId).some((event) => event.kind === 'rejected'), "no 'rejected' event (that would flag a failed update)");
}

t.test('bytes whose sha256 differs from the director target are refused and not fetched again for that director version', async (t) => {
  const setUp = await profileWorld(t);
  const { world, server, terminal, deviceId } = setUp;
  const bytes = profileBytes(2);
  await server.publish(deviceId, 2, { target: { hashes: { sha256: sha(profileBytes(2, { mcc: '5411' }), 'sha256') } } });
  t.equal(bytes.byteLength, profileBytes(2, { mcc: '5411' }).byteLength, 'same length: only the hash differs');
  await expectRefused(t, setUp, 'STW_DEVICE_TARGET_MISMATCH', 1);

  await server.direct(deviceId, { name: 'profiles/M-1001/T-0001/2.json', length: bytes.byteLength, hashes: { sha256: 'ab'.repeat(32) }, profileVersion: 2 });
  await terminal.runFor(TEN_MINUTES);
  t.equal(server.requests.length, 2, 'a new director version fetches once more');
  t.equal(profileEvents(world, deviceId).length, 2, 'and reports again');
});

t.test('bytes whose sha512 differs are refused even when sha256 matches', async (t) => {
  const setUp = await profileWorld(t);
  const bytes = profileBytes(2);
  await setUp.server.publish(setUp.deviceId, 2, { target: { hashes: { sha256: sha(bytes, 'sha256'), sha512: 'cd'.repeat(64) } } });
  await expectRefused(t, setUp, 'STW_DEVICE_TARGET_MISMATCH', 1);
});

t.test('a body longer than the director target is refused while it is read', async (t) => {
  const setUp = await profileWorld(t);
  const { server, deviceId } = setUp;
  const bytes = profileBytes(2);
  const chunk = new Uint8Array(1024).fill(0x20);
  let sent = 0;
  await server.publish(deviceId, 2);
  // The real document, then spaces without end.
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = sent === 0 ? bytes : chunk;
        sent += next.byteLength;
        controller.enqueue(next);
      },
    },
    { highWaterMark: 0 },
  );
  server.serve(deviceId, 2, { status: 200, stream });
  await expectRefused(t, setUp, 'STW_DEVICE_TOO_LARGE', 1);
  t.ok(sent <= bytes.byteLength + 4 * chunk.byteLength, `reading stopped just past the target's length (${sent} bytes sent for ${bytes.byteLength})`);
});

t.test('a body shorter than the director target is refused', async (t) => {
  const setUp = await profileWorld(t);
  const bytes = profileBytes(2);
  await setUp.server.publish(setUp.deviceId, 2, { target: { length: bytes.byteLength + 1 } });
  await expectRefused(t, setUp, 'STW_DEVICE_TARGET_MISMATCH', 1);
});

t.test('a document of another version than the director names is refused', async (t) => {
  const setUp = await profileWorld(t);
  const bytes = profileBytes(3); // verified bytes, but version 3 where the target says 2
  await setUp.server.publish(setUp.deviceId, 2, { bytes });
  await expectRefused(t, setUp, 'STW_DEVICE_PROFILE_MISMATCH', 1);
});

t.test('a document for another terminal than the target name says is refused', async (t) => {
  const setUp = await profileWorld(t);
  await setUp.server.publish(setUp.deviceId, 2, { bytes: profileBytes(2, { terminal_id: 'T-0002' }) });
  await expectRefused(t, setUp, 'STW_DEVICE_PROFILE_MISMATCH', 1);
});

t.test('bytes that are not a valid profile are refused', async (t) => {
  const setUp = await profileWorld(t);
  await setUp.server.publish(setUp.deviceId, 2, { bytes: profileBytes(2, { currency: 'euro' }) });
  await expectRefused(t, setUp, 'STW_DEVICE_PROFILE_INVALID', 1);
});

t.test('a director naming a version below the one in force is refused without a fetch', async (t) => {
  const setUp = await profileWorld(t);
  const { world, server, terminal, deviceId } = setUp;
  await server.publish(deviceId, 3);
  await terminal.runFor(TEN_MINUTES);
  t.equal(await terminal.applier.appliedVersion(), 3);
  await server.publish(deviceId, 2);
  await terminal.runFor(2 * HOLD_OFF);
  t.equal(server.requests.length, 1, 'version 2 never fetched');
  t.match(profileEvents(world, deviceId), [{ kind: 'profile-applied', version: '3' }, { kind: 'profile-rolled-back', version: '2', code: 'STW_DEVICE_DOWNGRADE' }]);
  t.equal(profileEvents(world, deviceId).length, 2, 'the downgrade is reported once');
  t.equal(await terminal.applier.appliedVersion(), 3, 'version 3 stays in force');
  t.equal(lastReportedProfileVersion(world, deviceId), 3);
});

t.test('a profile the server does not serve (404) is reported, and asked for again after the hold-off', async (t) => {
  const { world, server, terminal, deviceId } = await profileWorld(t);
  await server.publish(deviceId, 2);
  server.serve(deviceId, 2, { status: 404, code: 'STW_PROFILE_NOT_FOUND' });
  await terminal.runFor(HOLD_OFF - TEN_MINUTES);
  t.match(profileEvents(world, deviceId), [{ kind: 'profile-rolled-back', version: '2', code: 'STW_DEVICE_HTTP_STATUS' }]);
  t.equal(server.requests.length, 1, 'not asked again within the hold-off');
  server.serve(deviceId, 2, { status: 200, body: profileBytes(2) }); // same director version
  await terminal.runFor(HOLD_OFF);
  t.equal(server.requests.length, 2, 'asked again after it');
  t.equal(await terminal.applier.appliedVersion(), 2);
});
