import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpFetcher, type TimerScheduler } from '../../../device-sdk/fetch/http-fetcher.js';
import { startByteServer, type Behaviour } from '../fetch/fixtures/byte-server.js';
import { watchingFetcher } from '../fetch/fixtures/watching-fetcher.js';
import { MemoryFetcher } from './fixtures/memory-fetcher.js';
import { SimulatedTerminal, describe } from './fixtures/simulated-terminal.js';

const factory = randomBytes(16 * 1024);
const image = randomBytes(48 * 1024);
const update = describe(image, '2.0.0');

async function installedAndRebooting(t: Test, options: { schedule?: TimerScheduler; bootAttempts?: number } = {}) {
  const dir = t.testdir({});
  const device = await SimulatedTerminal.provision(dir, factory, { fetcher: new MemoryFetcher({ [update.url]: image }), ...options });
  const run = await device.machine.begin(update);
  t.equal(run.stoppedBecause, 'reboot', 'installed and waiting for the trial boot');
  return { dir, device };
}

async function assertBackOnFactory(t: Test, device: SimulatedTerminal) {
  t.match(await device.installer.bootState(), { active: 'a', booted: 'a', trial: undefined });
  t.same(await readFile(device.installer.slotPath('a')), factory, 'the previous image is untouched');
  t.equal(await device.machine.installedVersion(), '1.0.0');
}

t.test('when the health check fails on the trial boot, the terminal rolls back to the previous slot', async (t) => {
  const { device } = await installedAndRebooting(t);
  device.host.health = 'unhealthy';
  const trial = await device.powerOn();
  t.equal(trial.stoppedBecause, 'reboot', 'reboots into the previous slot');
  t.match(trial.events.at(-1), { type: 'reboot-requested', purpose: 'rollback' });
  const after = await device.powerOn();
  t.match(after.outcome, { type: 'rolled-back', reason: 'STW_DEVICE_HEALTH_CHECK_FAILED', restoredVersion: '1.0.0', slot: 'b', details: { timedOut: false } });
  t.equal(after.state.kind, 'failed');
  await assertBackOnFactory(t, device);
});

t.test('when the health check throws, that is a failure too', async (t) => {
  const { device } = await installedAndRebooting(t);
  device.host.health = 'throws';
  const run = await device.runToRest(await device.powerOn());
  t.match(run.outcome, { type: 'rolled-back', reason: 'STW_DEVICE_HEALTH_CHECK_FAILED', details: { error: String } });
  await assertBackOnFactory(t, device);
});

t.test('when the health check does not answer in time, the timeout rolls back', async (t) => {
  const timers: (() => void)[] = [];
  const schedule: TimerScheduler = (_delay, fire) => {
    timers.push(fire);
    return () => {};
  };
  const { device } = await installedAndRebooting(t, { schedule });
  device.host.health = 'hangs';
  const started = device.host.healthCheckStarted();
  const running = device.powerOn();
  await started;
  for (const fire of timers.splice(0)) fire();
  const run = await device.runToRest(await running);
  t.match(run.outcome, { type: 'rolled-back', reason: 'STW_DEVICE_HEALTH_CHECK_FAILED', details: { timedOut: true } });
  await assertBackOnFactory(t, device);
});

t.test('when the new image boot-loops before the agent can run, the bootloader returns to the previous slot', async (t) => {
  const { device } = await installedAndRebooting(t, { bootAttempts: 3 });
  for (let boot = 0; boot < 3; boot++) t.match(await device.installer.boot(), { slot: 'b', trial: true }, `crashing trial boot ${boot + 1}`);
  const run = await device.powerOn();
  t.match(run.outcome, { type: 'rolled-back', reason: 'STW_DEVICE_BOOT_LIMIT', restoredVersion: '1.0.0' });
  t.equal(device.host.healthChecks, 0);
  await assertBackOnFactory(t, device);
});

t.test('when the new slot is damaged after it was written, it is never booted and the update rolls back', async (t) => {
  const { device } = await installedAndRebooting(t);
  const damaged = Buffer.from(image);
  damaged[damaged.byteLength - 1] = (damaged[damaged.byteLength - 1] ?? 0) ^ 0x80;
  await writeFile(device.installer.slotPath('b'), damaged);
  const run = await device.powerOn();
  t.match(run.outcome, { type: 'rolled-back', reason: 'STW_DEVICE_SLOT_CORRUPT', restoredVersion: '1.0.0' });
  t.equal(device.host.healthChecks, 0, 'the damaged image never ran');
  await assertBackOnFactory(t, device);
});

t.test('when the served artifact does not match the target hash, the update is rejected and no slot is touched', async (t) => {
  const dir = t.testdir({});
  const impostor = randomBytes(image.byteLength);
  const device = await SimulatedTerminal.provision(dir, factory, { fetcher: new MemoryFetcher({ [update.url]: impostor }) });
  const run = await device.machine.begin(update);
  t.equal(run.stoppedBecause, 'report-outcome');
  t.match(run.outcome, { type: 'rejected', code: 'STW_DEVICE_TARGET_MISMATCH' });
  t.match(await device.installer.bootState(), { active: 'a', booted: 'a', trial: undefined, slots: { b: undefined } });
  t.notOk(existsSync(join(dir, 'update', 'downloads', `${update.hashes.sha256}.img.partial`)), 'the bad bytes are deleted');
  t.equal(device.host.reboots, 0);
});

t.test('when a download is cut mid-way over HTTP, it resumes with Range and the update commits', async (t) => {
  const big = randomBytes(200 * 1024);
  const stalls: Behaviour[] = [{ kind: 'stall', after: 30_000 }, { kind: 'stall', after: 30_000 }, { kind: 'stall', after: 30_000 }];
  const server = await startByteServer(big, stalls);
  t.teardown(() => server.close());
  let cuts = 0;
  const fetcher = watchingFetcher(new HttpFetcher(), (read) => {
    if (read >= 30_000 && cuts < 3) {
      cuts += 1;
      server.cutConnections();
    }
  });
  const target = describe(big, '2.0.0', server.url);
  const device = await SimulatedTerminal.provision(t.testdir({}), factory, { fetcher });

  const offline = await device.machine.begin(target);
  t.match(offline, { stoppedBecause: 'try-later', state: { kind: 'downloading' } }, 'three cut attempts: wait for the next poll');
  t.match(offline.events, [{ type: 'download-interrupted', code: 'STW_DEVICE_FETCH_FAILED' }]);

  const later = await device.runToRest(await device.powerOn());
  t.same(server.ranges, [undefined, 'bytes=30000-', 'bytes=60000-', 'bytes=90000-'], 'each request resumes where the last stopped');
  t.match(device.events.find((e) => e.type === 'downloaded'), { resumedFrom: 90_000, fetchedBytes: big.byteLength - 90_000 });
  t.match(later.outcome, { type: 'committed', version: '2.0.0' });
  t.same(await readFile(device.installer.slotPath('b')), big);
});
