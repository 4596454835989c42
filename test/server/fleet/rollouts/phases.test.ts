// Phases: hash cohorts on the database, count phases under concurrency, advancing.
import t from 'tap';
import { createRolloutPlanner } from '../../../../server/fleet/rollouts/index.js';
import { advancePhase } from '../../../../server/fleet/rollouts/rollout-status.js';
import { getRollout } from '../../../../server/fleet/rollouts/rollout-view.js';
import { forEachDatabase } from '../../../helpers/databases.js';
import { at, device, deviceIds, phaseCounters, rollbackEvents, rollout, seedFirmware, successEvents, T0 } from './rollout-fixtures.js';

const planner = createRolloutPlanner();

/** planFor for every id, a few at a time; returns the ids offered this rollout. */
async function offeredAmong(db: Parameters<typeof planner.planFor>[0], ids: readonly string[], rolloutId: string, now = T0): Promise<Set<string>> {
  const offered = new Set<string>();
  for (let i = 0; i < ids.length; i += 25) {
    await Promise.all(
      ids.slice(i, i + 25).map(async (id) => {
        const plan = await planner.planFor(db, device(id), now);
        if (plan.images.some((image) => image.rolloutId === rolloutId)) offered.add(id);
      }),
    );
  }
  return offered;
}

t.test('a 10% phase admits about 10%, the same devices on every check-in, and the next phase adds to them', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const ids = deviceIds(1000);
    const created = await rollout(db, { phases: [{ kind: 'percent', value: 10, advance: 'manual' }, { kind: 'percent', value: 30, advance: 'manual' }] });
    const ten = await offeredAmong(db, ids, created.id);
    // Binomial(1000, 0.1): sd 9.5; 5 sd either side. (cohort-hash.test.ts checks 10,000 ids.)
    t.ok(ten.size > 52 && ten.size < 148, `10% phase offered ${ten.size} of 1000`);
    t.same([...(await offeredAmong(db, ids, created.id))].sort(), [...ten].sort(), 'the same devices on the next round');
    t.equal((await phaseCounters(db, created.id))[0]?.admitted, ten.size, 'admitted counts each device once');

    t.equal(await advancePhase(db, created.id, 0, T0, 'operator'), 'advanced');
    const thirty = await offeredAmong(db, ids, created.id);
    t.ok(thirty.size > 227 && thirty.size < 373, `30% phase offered ${thirty.size}`);
    t.ok([...ten].every((id) => thirty.has(id)), 'every device of the 10% phase is still in');
    const counters = await phaseCounters(db, created.id);
    t.equal(counters[1]?.admitted, thirty.size - ten.size, 'the second phase counts only the devices it added');
  });
});

t.test('a count phase never admits more than its count, however many devices check in at once', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { phases: [{ kind: 'count', value: 25, advance: 'manual' }, { kind: 'percent', value: 100 }] });
    const ids = deviceIds(200);
    const plans = await Promise.all(ids.map((id) => planner.planFor(db, device(id), T0)));
    t.equal(plans.filter((plan) => plan.images.length === 1).length, 25, '25 offers');
    t.equal((await phaseCounters(db, created.id))[0]?.admitted, 25);
    const rows = await db.selectFrom('rollout_devices').select('device_id').where('rollout_id', '=', created.id).execute();
    t.equal(rows.length, 25, '25 progress rows');

    const same = await Promise.all(Array.from({ length: 10 }, () => planner.planFor(db, device('dev_000000'), T0)));
    t.ok(same.every((plan) => plan.images.length === (rows.some((row) => row.device_id === 'dev_000000') ? 1 : 0)), 'one device checking in ten times at once');
    t.equal((await phaseCounters(db, created.id))[0]?.admitted, 25, 'still 25');
  });
});

t.test('one device checking in many times at once is offered once', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { phases: [{ kind: 'count', value: 5 }] });
    const plans = await Promise.all(Array.from({ length: 12 }, () => planner.planFor(db, device('dev_twin'), T0)));
    t.ok(plans.every((plan) => plan.images.length === 1), 'every answer carries the offer');
    t.equal((await phaseCounters(db, created.id))[0]?.admitted, 1, 'admitted once');
    const history = await db.selectFrom('rollout_history').select('kind').where('rollout_id', '=', created.id).where('kind', '=', 'offered').execute();
    t.equal(history.length, 1, 'one offer in the history');
  });
});

t.test('an auto phase advances when its success ratio reaches the threshold with enough attempts; the last one completes', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, {
      phases: [
        { kind: 'count', value: 4, successThreshold: 0.75 },
        { kind: 'percent', value: 100, successThreshold: 1, minAttempted: 2 },
      ],
      abort: { minAttempted: 100, failureRatio: 0.5 },
    });
    const first = deviceIds(4, 'pilot');
    for (const id of first) await planner.planFor(db, device(id), T0);
    for (const id of first.slice(0, 3)) await planner.recordEvents(db, id, successEvents(created.id), at(10));
    t.equal((await getRollout(db, created.id))?.currentPhase, 0, '3 of 3 succeeded but the phase wants 4 attempts');
    await planner.recordEvents(db, first[3]!, rollbackEvents(created.id), at(20));
    let view = await getRollout(db, created.id);
    t.equal(view?.currentPhase, 1, '3 of 4 = 0.75 reaches the threshold');
    t.equal(view?.phases[0]?.endedAt, at(20).toISOString());

    const rest = deviceIds(3, 'wave');
    const plans = await Promise.all(rest.map((id) => planner.planFor(db, device(id), at(30))));
    t.ok(plans.every((plan) => plan.images.length === 1), '100% phase: everyone in');
    await planner.recordEvents(db, rest[0]!, successEvents(created.id), at(40));
    t.equal((await getRollout(db, created.id))?.status, 'active', 'one attempt is below the phase minimum');
    await planner.recordEvents(db, rest[1]!, successEvents(created.id), at(41));
    view = await getRollout(db, created.id);
    t.equal(view?.status, 'completed');
    const kinds = (await db.selectFrom('rollout_history').select('kind').where('rollout_id', '=', created.id).where('actor', '=', 'server').orderBy('id').execute()).map((row) => row.kind);
    t.ok(kinds.includes('advanced') && kinds.at(-1) === 'completed', kinds.join(','));
    t.equal((await planner.planFor(db, device('straggler'), at(50))).images.length, 1, 'a completed rollout still reaches a device that checks in late');
  });
});

t.test('a manual phase waits for the operator, whatever its ratio', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const created = await rollout(db, { phases: [{ kind: 'count', value: 2, advance: 'manual' }, { kind: 'percent', value: 100 }] });
    for (const id of ['a', 'b']) {
      await planner.planFor(db, device(id), T0);
      await planner.recordEvents(db, id, successEvents(created.id), T0);
    }
    t.equal((await getRollout(db, created.id))?.currentPhase, 0);
    t.equal(await advancePhase(db, created.id, 1, T0, 'operator'), false, 'advancing from a phase it is not in');
    t.equal(await advancePhase(db, created.id, 0, T0, 'operator'), 'advanced');
    t.equal(await advancePhase(db, created.id, 0, T0, 'operator'), false, 'a second advance from the same phase does nothing');
    t.equal((await getRollout(db, created.id))?.currentPhase, 1);
  });
});

t.test('a planner reusing its copy of the live rollouts still admits exactly the count', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const cached = createRolloutPlanner({ config: { rolloutCacheMilliseconds: 60_000 } });
    const created = await rollout(db, { phases: [{ kind: 'count', value: 10 }] });
    const offered = [];
    for (const id of deviceIds(40)) if ((await cached.planFor(db, device(id), T0)).images.length === 1) offered.push(id);
    t.equal(offered.length, 10, 'the copy says "room left" long after the count filled; the database decides');
    t.equal((await phaseCounters(db, created.id))[0]?.admitted, 10);
  });
});
