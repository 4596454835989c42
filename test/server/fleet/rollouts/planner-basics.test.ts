// Who is offered what: selector, hardware, versions, min_from_version, window, components.
import t from 'tap';
import { createRolloutPlanner } from '../../../../server/fleet/rollouts/index.js';
import { forEachDatabase } from '../../../helpers/databases.js';
import { device, FW_120, phaseCounters, rollout, seedFirmware, seedRelease, T0 } from './rollout-fixtures.js';

const planner = createRolloutPlanner();

t.test('a matching device is offered the release with its hashes, hardware id and rollout id', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db);
    const plan = await planner.planFor(db, device('dev_a'), T0);
    t.equal(plan.images.length, 1);
    const image = plan.images[0]!;
    t.equal(image.rolloutId, created.id);
    t.equal(image.targetPath, FW_120);
    t.equal(image.component, 'firmware');
    t.equal(image.version, '1.2.0');
    t.equal(image.hardwareId, 't100');
    t.match(image.hashes.sha256, /^[0-9a-f]{64}$/);
    t.match(image.hashes.sha512, /^[0-9a-f]{128}$/);
    t.equal(image.installWindow, undefined);
    t.same(plan.cancelledRollouts, []);

    const again = await planner.planFor(db, device('dev_a'), T0);
    t.same(again.images, plan.images, 'the same offer on the next check-in');
    t.equal((await phaseCounters(db, created.id))[0]?.admitted, 1, 'admitted once');
  });
});

t.test('the selector: AND between kinds, OR within a kind', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    await rollout(db, { selector: { hardwareModels: ['t100', 't200'], tags: ['pilot', 'north'], merchantIds: ['m1', 'm2'] } });
    const offered = async (facts: Parameters<typeof device>[1]) => (await planner.planFor(db, device(`dev_${Math.random()}`, facts), T0)).images.length === 1;
    t.ok(await offered({ tags: ['north'], merchantId: 'm2' }), 'one tag of the list and one merchant of the list');
    t.ok(await offered({ tags: ['pilot', 'south'], merchantId: 'm1' }), 'any matching tag is enough');
    t.notOk(await offered({ tags: ['south'], merchantId: 'm1' }), 'no matching tag');
    t.notOk(await offered({ tags: ['north'], merchantId: 'm3' }), 'another merchant');
    t.notOk(await offered({ tags: ['north'], merchantId: null }), 'no merchant');
  });
});

t.test('an explicit device list reaches only those devices', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    await rollout(db, { selector: { deviceIds: ['dev_1', 'dev_2'] } });
    t.equal((await planner.planFor(db, device('dev_1'), T0)).images.length, 1);
    t.equal((await planner.planFor(db, device('dev_3'), T0)).images.length, 0);
  });
});

t.test('no offer to a device already on that version or newer, on other hardware, or with an unreadable version', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db);
    const images = async (facts: Parameters<typeof device>[1]) => (await planner.planFor(db, device(`dev_${Math.random()}`, facts), T0)).images;
    t.same(await images({ installed: { firmware: '1.2.0' } }), [], 'same version');
    t.same(await images({ installed: { firmware: '1.3.0' } }), [], 'newer installed');
    t.same(await images({ installed: { firmware: 'banana' } }), [], 'not semver');
    t.same(await images({ hardwareModel: 't200' }), [], 'hardware the release does not run on');
    t.equal((await images({ installed: { firmware: '1.1.9', app: '3.0.0' } })).length, 1, 'an older version');
    t.equal((await images({ installed: { app: '3.0.0' } })).length, 1, 'no firmware reported and no minimum');
    t.equal((await phaseCounters(db, created.id))[0]?.admitted, 2, 'only the offered devices were admitted');
  });
});

t.test("the release's min_from_version keeps older devices out", async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedRelease(db, { path: 'acme/t100-fw-2.0.0.bin', version: '2.0.0', minFromVersion: '1.1.0' });
    await rollout(db, { targetPath: 'acme/t100-fw-2.0.0.bin' });
    const images = async (installed: Record<string, string>) => (await planner.planFor(db, device(`dev_${Math.random()}`, { installed }), T0)).images;
    t.same(await images({ firmware: '1.0.5' }), [], 'below the minimum');
    t.same(await images({}), [], 'nothing reported: cannot show it is reachable');
    t.equal((await images({ firmware: '1.1.0' })).length, 1, 'at the minimum');
    t.equal((await images({ firmware: '1.9.0' })).length, 1, 'above it');
  });
});

t.test("the maintenance window travels with the offer in the device's merchant time zone", async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    await rollout(db, { maintenanceWindow: { start: '22:30', end: '04:00' } });
    const paris = await planner.planFor(db, device('dev_paris', { timeZone: 'Europe/Paris' }), T0);
    const shanghai = await planner.planFor(db, device('dev_sh', { timeZone: 'Asia/Shanghai' }), T0);
    t.same(paris.images[0]?.installWindow, { start: '22:30', end: '04:00', timeZone: 'Europe/Paris' });
    t.same(shanghai.images[0]?.installWindow, { start: '22:30', end: '04:00', timeZone: 'Asia/Shanghai' });
  });
});

t.test('one image per component: the newest release, but an unfinished offer is finished first', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    await seedRelease(db, { path: 'acme/t100-fw-1.3.0.bin', version: '1.3.0' });
    await seedRelease(db, { path: 'acme/t100-pay-2.0.0.apk', version: '2.0.0', component: 'payment-app' });
    const old = await rollout(db);
    const early = await planner.planFor(db, device('dev_early'), T0);
    t.same(early.images.map((image) => image.rolloutId), [old.id], 'offered 1.2.0 before 1.3.0 existed');

    const newer = await rollout(db, { targetPath: 'acme/t100-fw-1.3.0.bin' }, new Date(T0.getTime() + 1000));
    const app = await rollout(db, { targetPath: 'acme/t100-pay-2.0.0.apk' }, new Date(T0.getTime() + 2000));
    const late = await planner.planFor(db, device('dev_late', { installed: { firmware: '1.1.0', 'payment-app': '1.0.0' } }), T0);
    t.same(late.images.map((image) => image.rolloutId).sort(), [newer.id, app.id].sort(), 'the newest firmware and the app');
    const again = await planner.planFor(db, device('dev_early'), T0);
    const firmware = again.images.filter((image) => image.component === 'firmware');
    t.same(firmware.map((image) => image.rolloutId), [old.id], 'the device already working on 1.2.0 keeps it');
    t.equal((await phaseCounters(db, newer.id))[0]?.admitted, 1, 'and was not admitted into the 1.3.0 rollout');
  });
});
