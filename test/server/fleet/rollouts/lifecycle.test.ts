// Pause, resume and cancel, as the planner sees them.
import t from 'tap';
import { createRolloutPlanner } from '../../../../server/fleet/rollouts/index.js';
import { changeStatus } from '../../../../server/fleet/rollouts/rollout-status.js';
import { forEachDatabase } from '../../../helpers/databases.js';
import { at, device, event, progressOf, rollbackEvents, rollout, seedFirmware, successEvents, T0 } from './rollout-fixtures.js';

const planner = createRolloutPlanner();

t.test('paused: no new offers and no retries, but offered devices keep theirs and report', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { retry: { maxAttempts: 2, backoffSeconds: 10 }, abort: { minAttempted: 100, failureRatio: 1 } });
    await planner.planFor(db, device('early'), T0);
    await planner.planFor(db, device('failing'), T0);
    await planner.recordEvents(db, 'failing', rollbackEvents(created.id), at(1));
    t.ok(await changeStatus(db, created.id, 'pause', at(2), 'operator'));
    t.notOk(await changeStatus(db, created.id, 'pause', at(2), 'operator'), 'pausing twice is refused');

    t.equal((await planner.planFor(db, device('late'), at(100))).images.length, 0, 'no new offer');
    t.equal((await planner.planFor(db, device('failing'), at(100))).images.length, 0, 'no retry');
    t.equal((await planner.planFor(db, device('early'), at(100))).images.length, 1, 'the offered device keeps its offer');
    await planner.recordEvents(db, 'early', successEvents(created.id), at(101));
    t.match(await progressOf(db, created.id, 'early'), { state: 'succeeded' });

    t.ok(await changeStatus(db, created.id, 'resume', at(200), 'operator'));
    t.equal((await planner.planFor(db, device('late'), at(201))).images.length, 1, 'resumed: offers again');
    t.equal((await planner.planFor(db, device('failing'), at(201))).images.length, 1, 'and retries');
  });
});

t.test('cancelled: unfinished offers are listed until the device acknowledges; finished ones are not', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db);
    for (const id of ['done', 'downloading', 'offered']) await planner.planFor(db, device(id), T0);
    await planner.recordEvents(db, 'done', successEvents(created.id), at(1));
    await planner.recordEvents(db, 'downloading', [event('download-started', created.id)], at(1));
    t.ok(await changeStatus(db, created.id, 'cancel', at(2), 'operator'));
    t.notOk(await changeStatus(db, created.id, 'resume', at(2), 'operator'), 'a cancelled rollout cannot resume');

    t.same(await planner.planFor(db, device('downloading'), at(3)), { images: [], cancelledRollouts: [created.id] });
    t.same(await planner.planFor(db, device('offered'), at(3)), { images: [], cancelledRollouts: [created.id] });
    t.same(await planner.planFor(db, device('done', { installed: { firmware: '1.2.0' } }), at(3)), { images: [], cancelledRollouts: [] });
    t.same(await planner.planFor(db, device('new'), at(3)), { images: [], cancelledRollouts: [] });

    await planner.recordEvents(db, 'downloading', [event('cancel-acknowledged', created.id)], at(4));
    t.same((await planner.planFor(db, device('downloading'), at(5))).cancelledRollouts, []);
    t.same((await planner.planFor(db, device('offered'), at(5))).cancelledRollouts, [created.id], 'still waiting for this one');
    t.match(await progressOf(db, created.id, 'downloading'), { state: 'cancel-acknowledged' });
    t.match(await progressOf(db, created.id, 'offered'), { state: 'cancelled' });
  });
});

t.test('an offer made while the rollout was being cancelled is still withdrawn', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db);
    t.ok(await changeStatus(db, created.id, 'cancel', at(1), 'operator'));
    // The race: a replica read the rollout as active and inserted its offer after the cancel marked rows.
    await db.insertInto('rollout_devices').values({ rollout_id: created.id, device_id: 'racer', phase_index: 0, state: 'offered', attempts: 1, revision: 0, attempted: 0, outcome: null, offered_at: at(1).toISOString(), last_event_at: at(1).toISOString(), retry_at: null, last_code: null }).execute();
    t.same((await planner.planFor(db, device('racer'), at(2))).cancelledRollouts, [created.id]);
  });
});
