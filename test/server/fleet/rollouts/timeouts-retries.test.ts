// Silent devices (lazily at check-in and by the sweep) and retries with back-off.
import t from 'tap';
import { createRolloutPlanner, sweepTimeouts } from '../../../../server/fleet/rollouts/index.js';
import { SILENT_DEVICE_CODE } from '../../../../server/fleet/rollouts/progress-transitions.js';
import { getRollout } from '../../../../server/fleet/rollouts/rollout-view.js';
import { forEachDatabase } from '../../../helpers/databases.js';
import { at, device, event, phaseCounters, progressOf, rollbackEvents, rollout, seedFirmware, successEvents, T0 } from './rollout-fixtures.js';

const planner = createRolloutPlanner({ config: { sweepIntervalSeconds: 60 } });

t.test('a device silent past the timeout counts as failed when another device checks in', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { silentTimeoutSeconds: 600 });
    await planner.planFor(db, device('quiet'), T0);
    await planner.planFor(db, device('chatty'), at(1));
    await planner.recordEvents(db, 'chatty', [event('download-started', created.id)], at(500));

    await planner.planFor(db, device('other'), at(599));
    t.match(await progressOf(db, created.id, 'quiet'), { state: 'offered' }, 'not yet silent for 600 s');
    await planner.planFor(db, device('other'), at(640));
    t.match(await progressOf(db, created.id, 'quiet'), { state: 'offered' }, 'the last look was under a minute ago');
    await planner.planFor(db, device('other'), at(700));
    t.match(await progressOf(db, created.id, 'quiet'), { state: 'failed', outcome: 'timed-out', last_code: SILENT_DEVICE_CODE });
    t.match(await progressOf(db, created.id, 'chatty'), { state: 'downloading' }, 'news at 500 s keeps a device in');
    t.match((await phaseCounters(db, created.id))[0], { attempted: 2, failed: 1, timed_out: 1 });
    const entry = await db.selectFrom('rollout_history').select(['code', 'actor']).where('rollout_id', '=', created.id).where('kind', '=', 'timed-out').executeTakeFirstOrThrow();
    t.same(entry, { code: SILENT_DEVICE_CODE, actor: 'server' });

    await planner.recordEvents(db, 'quiet', successEvents(created.id), at(800));
    t.match((await phaseCounters(db, created.id))[0], { attempted: 2, succeeded: 1, failed: 0, timed_out: 0 }, 'a late commit turns the timeout into a success');
  });
});

t.test('sweepTimeouts times out every silent device and can abort the rollout', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { silentTimeoutSeconds: 60, abort: { minAttempted: 3, failureRatio: 0.5 } });
    for (const id of ['s1', 's2', 's3', 'ok']) await planner.planFor(db, device(id), T0);
    await planner.recordEvents(db, 'ok', successEvents(created.id), at(30));
    t.equal(await sweepTimeouts(db, at(59), { sweepBatchSize: 2 }), 0, 'nobody silent yet');
    t.equal(await sweepTimeouts(db, at(61), { sweepBatchSize: 2 }), 3, 'three silent devices, in batches of two');
    t.equal(await sweepTimeouts(db, at(62)), 0, 'counted once');
    const view = await getRollout(db, created.id);
    t.match(view?.totals, { attempted: 4, failed: 3, timedOut: 3, succeeded: 1 });
    t.equal(view?.status, 'aborted', '3 of 4 silent');
  });
});

t.test('a failed device is offered again after the back-off, up to the maximum attempts', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { retry: { maxAttempts: 3, backoffSeconds: 300 }, abort: { minAttempted: 100, failureRatio: 1 } });
    const images = async (seconds: number) => (await planner.planFor(db, device('flaky'), at(seconds))).images.length;
    t.equal(await images(0), 1);
    await planner.recordEvents(db, 'flaky', rollbackEvents(created.id), at(10));
    t.equal(await images(200), 0, 'within the first back-off (300 s)');
    t.equal(await images(310), 1, 'second attempt');
    t.match(await progressOf(db, created.id, 'flaky'), { state: 'offered', attempts: 2 });
    await planner.recordEvents(db, 'flaky', rollbackEvents(created.id), at(320));
    t.equal(await images(800), 0, 'the second back-off is 600 s');
    t.equal(await images(920), 1, 'third attempt');
    await planner.recordEvents(db, 'flaky', rollbackEvents(created.id), at(930));
    t.equal(await images(100_000), 0, 'no fourth attempt');
    t.match((await phaseCounters(db, created.id))[0], { admitted: 1, attempted: 1, failed: 1 }, 'one device, one failure');
    const retries = await db.selectFrom('rollout_history').select('detail').where('rollout_id', '=', created.id).where('kind', '=', 'retry-offered').orderBy('id').execute();
    t.same(retries.map((row) => JSON.parse(row.detail!).attempt), [2, 3]);
  });
});

t.test('a retry that succeeds turns the failure into a success', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { retry: { maxAttempts: 2, backoffSeconds: 60 }, abort: { minAttempted: 100, failureRatio: 1 } });
    await planner.planFor(db, device('flaky'), T0);
    await planner.recordEvents(db, 'flaky', rollbackEvents(created.id), at(1));
    t.match((await phaseCounters(db, created.id))[0], { attempted: 1, failed: 1, succeeded: 0 });
    await planner.planFor(db, device('flaky'), at(61));
    await planner.recordEvents(db, 'flaky', successEvents(created.id), at(62));
    t.match((await phaseCounters(db, created.id))[0], { attempted: 1, failed: 0, succeeded: 1 });
  });
});
