// Device events into progress and counters: idempotence, abort criteria, what an abort does.
import t from 'tap';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../server/db/schema.js';
import { createRolloutPlanner } from '../../../../server/fleet/rollouts/index.js';
import { getRollout } from '../../../../server/fleet/rollouts/rollout-view.js';
import { forEachDatabase } from '../../../helpers/databases.js';
import { at, device, event, FW_120, phaseCounters, progressOf, rollbackEvents, rollout, seedFirmware, successEvents, T0 } from './rollout-fixtures.js';

const planner = createRolloutPlanner();

async function offerTo(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  for (const id of ids) await planner.planFor(db, device(id), T0);
}

t.test('each device outcome counts once, whatever is reported again', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db);
    await offerTo(db, ['a', 'b']);
    await planner.recordEvents(db, 'a', successEvents(created.id), at(1));
    await planner.recordEvents(db, 'a', [event('install-started', created.id), event('committed', created.id)], at(2));
    await planner.recordEvents(db, 'b', [event('download-started', created.id)], at(3));
    await planner.recordEvents(db, 'b', [event('downloaded', created.id), event('download-started', created.id)], at(4));
    const [phase] = await phaseCounters(db, created.id);
    t.match(phase, { admitted: 2, attempted: 2, succeeded: 1, failed: 0, timed_out: 0 });
    t.match(await progressOf(db, created.id, 'a'), { state: 'succeeded', attempted: 1, outcome: 'succeeded' });
    t.match(await progressOf(db, created.id, 'b'), { state: 'downloading', last_event_at: at(4).toISOString() });
    const deviceHistory = await db.selectFrom('rollout_history').select(['kind', 'detail']).where('rollout_id', '=', created.id).where('device_id', '=', 'a').where('actor', '=', 'device').orderBy('id').execute();
    t.same(deviceHistory.map((row) => row.kind), ['offered', 'download-started', 'downloaded', 'install-started', 'committed', 'install-started', 'committed'], 'every report is in the history');
    t.match(JSON.parse(deviceHistory.at(-1)!.detail!), { ignored: true }, 'the repeated commit is marked as changing nothing');
  });
});

t.test('events for a rollout that never offered to the device, or of other kinds, change nothing', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { phases: [{ kind: 'count', value: 1 }] });
    await offerTo(db, ['a']);
    await planner.recordEvents(db, 'stranger', successEvents(created.id), T0);
    await planner.recordEvents(db, 'a', [event('profile-applied', undefined), event('committed', 'rol_unknown')], T0);
    t.match((await phaseCounters(db, created.id))[0], { attempted: 0, succeeded: 0 });
    t.equal(await progressOf(db, created.id, 'stranger'), undefined);
  });
});

t.test('an event without a rollout id is matched by its target path to the offer', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db);
    await offerTo(db, ['a']);
    await planner.recordEvents(db, 'a', [event('rejected', undefined, { targetPath: FW_120, code: 'STW_DEVICE_TARGET_MISMATCH' })], T0);
    t.match(await progressOf(db, created.id, 'a'), { state: 'failed', last_code: 'STW_DEVICE_TARGET_MISMATCH' });
  });
});

t.test('no abort before the minimum attempted, even when every attempt failed', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { abort: { minAttempted: 5, failureRatio: 0.4 } });
    const ids = ['d1', 'd2', 'd3', 'd4', 'd5'];
    await offerTo(db, ids);
    for (const id of ids.slice(0, 4)) await planner.recordEvents(db, id, rollbackEvents(created.id), T0);
    t.equal((await getRollout(db, created.id))?.status, 'active', '4 of 4 failed, 5 needed');
    await planner.recordEvents(db, 'd5', successEvents(created.id), T0);
    t.equal((await getRollout(db, created.id))?.status, 'aborted', 'the fifth attempt arms it: 4/5 >= 0.4');
  });
});

t.test('the rollout aborts when the failure ratio reaches the threshold, not before', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { abort: { minAttempted: 5, failureRatio: 0.4 } });
    await offerTo(db, ['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    for (const id of ['d1', 'd2', 'd3']) await planner.recordEvents(db, id, successEvents(created.id), at(1));
    await planner.recordEvents(db, 'd4', rollbackEvents(created.id), at(2));
    await planner.recordEvents(db, 'd5', [event('download-started', created.id)], at(2));
    let view = await getRollout(db, created.id, { states: true });
    t.equal(view?.status, 'active', '1 of 5 attempted failed: 0.2 is below 0.4');
    t.equal(view?.totals.failureRatio, 0.2);
    t.equal(view?.totals.abortArmed, true);

    await planner.recordEvents(db, 'd5', [event('rolled-back', created.id, { code: 'STW_DEVICE_BOOT_LIMIT' })], at(3));
    view = await getRollout(db, created.id, { states: true });
    t.equal(view?.status, 'aborted', '2 of 5 = 0.4: at the threshold');
    t.match(view?.states, { succeeded: 3, 'rolled-back': 2, offered: 1 });
    t.equal(view?.endedAt, at(3).toISOString());
    const aborted = await db.selectFrom('rollout_history').select(['actor', 'detail']).where('rollout_id', '=', created.id).where('kind', '=', 'aborted').executeTakeFirstOrThrow();
    t.equal(aborted.actor, 'server');
    t.match(JSON.parse(aborted.detail!), { attempted: 5, failed: 2, abortFailureRatio: 0.4, unfinishedOffers: 1 });
    t.same((await planner.planFor(db, device('d6'), at(4))).cancelledRollouts, [created.id], "d6's unfinished offer is withdrawn at its next check-in");
    t.match((await getRollout(db, created.id, { states: true }))?.states, { offered: 0, cancelled: 1 });
  });
});

t.test('after an abort the release is no longer offered and unfinished offers are cancelled until acknowledged', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { abort: { minAttempted: 2, failureRatio: 0.5 }, retry: { maxAttempts: 3, backoffSeconds: 1 } });
    await offerTo(db, ['bad1', 'bad2', 'waiting']);
    await planner.recordEvents(db, 'bad1', rollbackEvents(created.id), at(1));
    await planner.recordEvents(db, 'bad2', rollbackEvents(created.id), at(1));
    t.equal((await getRollout(db, created.id))?.status, 'aborted');

    t.same(await planner.planFor(db, device('newcomer'), at(100)), { images: [], cancelledRollouts: [] }, 'no offer to a new device');
    t.same(await planner.planFor(db, device('bad1'), at(100)), { images: [], cancelledRollouts: [] }, 'no retry of a halted release');
    t.same(await planner.planFor(db, device('waiting'), at(100)), { images: [], cancelledRollouts: [created.id] }, 'the waiting device must drop it');
    await planner.recordEvents(db, 'waiting', [event('cancel-acknowledged', created.id)], at(101));
    t.same((await planner.planFor(db, device('waiting'), at(102))).cancelledRollouts, [], 'acknowledged: no longer listed');
    t.match(await progressOf(db, created.id, 'waiting'), { state: 'cancel-acknowledged' });
  });
});

t.test("inside the caller's transaction the counters move with it, and not at all when it rolls back", async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { abort: { minAttempted: 2, failureRatio: 0.5 } });
    await offerTo(db, ['a', 'b']);
    await t.rejects(
      db.transaction().execute(async (trx) => {
        await planner.recordEvents(trx, 'a', rollbackEvents(created.id), at(1));
        throw new Error('the check-in failed after recording');
      }),
    );
    t.match((await phaseCounters(db, created.id))[0], { attempted: 0, failed: 0 }, 'rolled back with the caller');
    t.equal((await db.selectFrom('rollout_history').select('id').where('rollout_id', '=', created.id).where('actor', '=', 'device').execute()).length, 0);

    await db.transaction().execute(async (trx) => {
      await planner.recordEvents(trx, 'a', rollbackEvents(created.id), at(2));
      await planner.recordEvents(trx, 'b', rollbackEvents(created.id), at(2));
    });
    t.match((await phaseCounters(db, created.id))[0], { attempted: 2, failed: 2 });
    t.equal((await getRollout(db, created.id))?.status, 'aborted', 'the abort is decided in the same transaction');
  });
});
