import t from 'tap';
import { readFile } from 'node:fs/promises';
import { World } from './fixtures/agent-world.js';

const kinds = (events: Record<string, unknown>[]) => events.map((event) => event.kind);

t.test('a new terminal enrols, checks in signed, and waits the poll interval', async (t) => {
  const world = await World.create(t);
  const terminal = await world.terminal(t);
  const result = await terminal.agent.cycle();
  t.equal(result.phase.kind, 'waiting');
  t.equal(result.delayMs, 300_000, 'the poll interval (jitter centred by random 0.5)');
  const deviceId = await terminal.deviceId();
  const [checkIn] = world.stub.checkIns;
  t.match(checkIn, { deviceId, status: 200, body: { installed: [{ component: 'firmware', version: '1.0.0' }], health: { printer: { paper: 'ok' } }, events: [] } });
});

t.test('an update named by the director and the vendor installs, reboots, commits and is reported', async (t) => {
  const world = await World.create(t);
  const release = await world.publish('2.0.0', { rolloutId: 'rol_a' });
  const terminal = await world.terminal(t);
  await terminal.agent.cycle(); // enrol
  const deviceId = await terminal.deviceId();
  world.stub.plan(deviceId, { images: [release.image] });
  world.clock.advance(300_000);
  const installing = await terminal.agent.cycle();
  t.equal(installing.phase.kind, 'rebooting', 'the trial boot is asked of the host');
  t.equal(terminal.host.reboots, 1);

  await terminal.powerOn();
  const committed = await terminal.agent.cycle();
  t.equal(terminal.host.healthChecks, 1);
  t.equal(committed.phase.kind, 'waiting');
  t.same(await readFile(terminal.installer.slotPath('b')), release.bytes);
  const events = world.stub.eventsOf(deviceId);
  t.same(kinds(events), ['offered', 'download-started', 'downloaded', 'install-started', 'committed']);
  t.ok(events.every((event) => event.rolloutId === 'rol_a' && event.targetPath === release.path && event.version === '2.0.0'), 'every event names rollout, target and version');
  t.match(world.stub.checkIns.at(-1)?.body, { installed: [{ component: 'firmware', version: '2.0.0', targetPath: release.path }] });
  t.equal((await terminal.agent.state()).queue.length, 0, 'reported events leave the queue');
});

t.test('an unchanged director document costs a 304 and no image repository traffic', async (t) => {
  const world = await World.create(t);
  const release = await world.publish('2.0.0');
  const terminal = await world.terminal(t);
  await terminal.agent.cycle();
  world.stub.plan(await terminal.deviceId(), { images: [release.image] });
  await terminal.runFor(3_600_000);
  const before = world.stub.repositoryRequests;
  const checkIns = world.stub.checkIns.length;
  await terminal.runFor(3_000_000);
  const later = world.stub.checkIns.slice(checkIns);
  t.ok(later.length >= 9, 'polled every five minutes');
  t.ok(later.every((checkIn) => checkIn.status === 304 && checkIn.ifNoneMatch !== undefined), 'If-None-Match, 304');
  t.equal(world.stub.repositoryRequests, before, 'nothing fetched from the image repository');
});

t.test('when the health check of the new image fails, the terminal rolls back and reports the code', async (t) => {
  const world = await World.create(t);
  const release = await world.publish('2.0.0', { rolloutId: 'rol_bad' });
  const terminal = await world.terminal(t);
  await terminal.agent.cycle();
  const deviceId = await terminal.deviceId();
  world.stub.plan(deviceId, { images: [release.image] });
  terminal.host.healthy = false;
  await terminal.runFor(600_000);
  const events = world.stub.eventsOf(deviceId);
  t.same(kinds(events), ['offered', 'download-started', 'downloaded', 'install-started', 'rolled-back']);
  t.match(events.at(-1), { code: 'STW_DEVICE_HEALTH_CHECK_FAILED', rolloutId: 'rol_bad' });
  t.match(await terminal.installer.bootState(), { active: 'a', booted: 'a', trial: undefined });
  t.match(world.stub.checkIns.at(-1)?.body, { installed: [{ component: 'firmware', version: '1.0.0' }] });

  const reboots = terminal.host.reboots;
  await terminal.runFor(2_400_000);
  t.equal(terminal.host.reboots, reboots, 'the failed target is not tried again while it is held off');
  await terminal.runFor(1_800_000);
  t.ok(terminal.host.reboots > reboots, 'once the hold-off has passed, the director may have it tried again');
});

t.test('outside the install window the image is downloaded early and installed once the window opens', async (t) => {
  const world = await World.create(t);
  const release = await world.publish('2.0.0');
  const terminal = await world.terminal(t);
  await terminal.agent.cycle();
  const deviceId = await terminal.deviceId();
  // 12:00 UTC is 13:00 in Paris; the window is 02:00-04:00 Paris time.
  world.stub.plan(deviceId, { images: [release.image], installWindow: { start: '02:00', end: '04:00', timeZone: 'Europe/Paris' } });
  world.clock.advance(300_000);
  const deferred = await terminal.agent.cycle();
  t.equal(deferred.phase.kind, 'waiting');
  t.same(kinds(world.stub.eventsOf(deviceId)), [], 'not reported yet');
  t.equal((await terminal.agent.machine('firmware')!.state()).kind, 'verifying', 'downloaded, waiting for the window');
  t.equal(terminal.host.reboots, 0);
  await terminal.runFor(3_600_000);
  t.equal(terminal.host.reboots, 0, 'still outside the window an hour later');
  world.clock.now = new Date('2026-11-29T01:10:00Z'); // 02:10 in Paris
  await terminal.runFor(600_000);
  t.equal(terminal.host.reboots, 1, 'installed in the window');
  t.match(await terminal.installer.bootState(), { active: 'b' });
});

t.test('a cancelled rollout is dropped before install and the cancel acknowledged once', async (t) => {
  const world = await World.create(t);
  const release = await world.publish('2.0.0', { rolloutId: 'rol_c' });
  const terminal = await world.terminal(t);
  await terminal.agent.cycle();
  const deviceId = await terminal.deviceId();
  terminal.host.busy = true; // in a transaction: the install waits
  world.stub.plan(deviceId, { images: [release.image] });
  await terminal.runFor(300_000);
  t.equal((await terminal.agent.machine('firmware')!.state()).kind, 'verifying');
  world.stub.plan(deviceId, { images: [release.image], cancelledRollouts: ['rol_c'] });
  await terminal.runFor(1_800_000);
  const events = world.stub.eventsOf(deviceId);
  t.same(kinds(events), ['offered', 'download-started', 'downloaded', 'cancel-acknowledged']);
  t.match(events.at(-1), { rolloutId: 'rol_c', targetPath: release.path });
  t.equal((await terminal.agent.machine('firmware')!.state()).kind, 'idle');
  t.equal((await terminal.installer.bootState()).slots.b, undefined, 'no slot touched');
});

t.test('a cancel for a rollout the terminal holds no offer of is acknowledged straight away', async (t) => {
  const world = await World.create(t);
  const terminal = await world.terminal(t);
  await terminal.agent.cycle();
  const deviceId = await terminal.deviceId();
  world.stub.plan(deviceId, { images: [], cancelledRollouts: ['rol_old'] });
  await terminal.runFor(900_000);
  t.match(world.stub.eventsOf(deviceId), [{ kind: 'cancel-acknowledged', rolloutId: 'rol_old' }]);
});

t.test('an image for a component without an installer is refused with its own code', async (t) => {
  const world = await World.create(t);
  const release = await world.publish('3.1.0', { component: 'payment-app' });
  const terminal = await world.terminal(t);
  await terminal.agent.cycle();
  const deviceId = await terminal.deviceId();
  world.stub.plan(deviceId, { images: [release.image] });
  await terminal.runFor(900_000);
  t.match(world.stub.eventsOf(deviceId), [{ kind: 'rejected', code: 'STW_DEVICE_UNKNOWN_COMPONENT', targetPath: release.path }]);
});

t.test("after the director's key is rotated, the terminal follows the director root chain and keeps updating", async (t) => {
  const world = await World.create(t);
  const release = await world.publish('2.0.0');
  const terminal = await world.terminal(t);
  await terminal.agent.cycle();
  const deviceId = await terminal.deviceId();
  await world.stub.rotateDirectorKey();
  world.stub.plan(deviceId, { images: [release.image] });
  await terminal.runFor(900_000);
  t.match(await terminal.installer.bootState(), { active: 'b', slots: { b: { version: '2.0.0' } } });
  t.notOk(world.stub.eventsOf(deviceId).some((event) => event.kind === 'rejected'), 'nothing refused');
});
