import t, { type Test } from 'tap';
import { generateKeyPair } from '../../../manifests/index.js';
import { World, type Release } from './fixtures/agent-world.js';

async function enrolled(t: Test, options: { publish?: string; installed?: string } = {}) {
  const world = await World.create(t);
  const release = await world.publish(options.publish ?? '2.0.0');
  const terminal = await world.terminal(t);
  await terminal.agent.cycle();
  return { world, release, terminal, deviceId: await terminal.deviceId() };
}

async function expectRefused(t: Test, world: World, terminal: Awaited<ReturnType<World['terminal']>>, deviceId: string, code: string) {
  await terminal.runFor(900_000);
  const events = world.stub.eventsOf(deviceId);
  t.match(events, [{ kind: 'rejected', code }], `one rejected event with ${code}`);
  t.equal(events.length, 1, 'reported once, not at every poll');
  t.equal(terminal.host.reboots, 0, 'nothing installed');
  t.equal((await terminal.installer.bootState()).slots.b, undefined, 'no slot written');
}

function image(release: Release, changes: Partial<Release['image']>) {
  return { ...release.image, ...changes };
}

t.test('a director document for another device is refused', async (t) => {
  const { world, release, terminal, deviceId } = await enrolled(t);
  world.stub.overrideDirector(deviceId, await world.stub.signDirector('dev_someone_else', { images: [release.image] }, 10));
  await expectRefused(t, world, terminal, deviceId, 'STW_DEVICE_DIRECTOR_INVALID');
});

t.test('an expired director document is refused', async (t) => {
  const { world, release, terminal, deviceId } = await enrolled(t);
  world.stub.overrideDirector(deviceId, await world.stub.signDirector(deviceId, { images: [release.image] }, 10, new Date(world.clock.now.getTime() - 1000)));
  await expectRefused(t, world, terminal, deviceId, 'STW_DEVICE_DIRECTOR_INVALID');
});

t.test('a replayed older director document is refused and the newer one stays in force', async (t) => {
  const { world, release, terminal, deviceId } = await enrolled(t);
  const old = await world.stub.signDirector(deviceId, { images: [release.image] }, 1);
  await world.stub.directorFor(deviceId); // version 1 (no images) was accepted at enrolment
  world.stub.plan(deviceId, { images: [] , pollIntervalSeconds: 600 }); // version 2, also no images
  await terminal.runFor(300_000);
  world.stub.overrideDirector(deviceId, old);
  await expectRefused(t, world, terminal, deviceId, 'STW_DEVICE_DIRECTOR_INVALID');
});

t.test('a director naming a target whose hash differs from the vendor target is refused', async (t) => {
  const { world, release, terminal, deviceId } = await enrolled(t);
  const forged = image(release, { hashes: { sha256: 'ab'.repeat(32) } });
  world.stub.plan(deviceId, { images: [forged] });
  await expectRefused(t, world, terminal, deviceId, 'STW_DEVICE_TARGET_MISMATCH');
});

t.test('a downgrade is refused', async (t) => {
  const world = await World.create(t);
  const release = await world.publish('0.9.0');
  const terminal = await world.terminal(t);
  await terminal.agent.cycle();
  const deviceId = await terminal.deviceId();
  world.stub.plan(deviceId, { images: [release.image] });
  await expectRefused(t, world, terminal, deviceId, 'STW_DEVICE_DOWNGRADE');
});

t.test('a wrong hardware id is refused, from the director or from the vendor release', async (t) => {
  const { world, release, terminal, deviceId } = await enrolled(t);
  world.stub.plan(deviceId, { images: [image(release, { hardwareId: 't200' })] });
  await expectRefused(t, world, terminal, deviceId, 'STW_DEVICE_WRONG_HARDWARE');

  const other = await world.publish('2.1.0', { hardwareIds: ['t200'] });
  world.stub.plan(deviceId, { images: [other.image] });
  await terminal.runFor(900_000);
  t.match(world.stub.eventsOf(deviceId).at(-1), { kind: 'rejected', code: 'STW_DEVICE_WRONG_HARDWARE', targetPath: other.path });
});

t.test('a target the image repository does not list is refused', async (t) => {
  const { world, release, terminal, deviceId } = await enrolled(t);
  world.stub.plan(deviceId, { images: [image(release, { name: 'acme/t100-fw-9.9.9.bin', version: '9.9.9' })] });
  await expectRefused(t, world, terminal, deviceId, 'STW_DEVICE_TARGET_NOT_FOUND');
});

t.test('when the image repository fails verification, the image is refused with the TUF client code', async (t) => {
  const { world, release, terminal, deviceId } = await enrolled(t);
  world.repository.signWith('timestamp', [generateKeyPair('ed25519').signer]); // a timestamp the root does not authorise
  await world.repository.publish();
  world.stub.plan(deviceId, { images: [release.image] });
  await expectRefused(t, world, terminal, deviceId, 'STW_DEVICE_SIGNATURE_INVALID');
});
