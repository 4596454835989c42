// Two server replicas on one PostgreSQL serving one rollout: two independent kysely handles
// (two connection pools) offer, record events and sweep concurrently; every counter must equal
// the number of distinct device outcomes.
import t, { type Test } from 'tap';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../../../server/db/index.js';
import type { Database } from '../../../../server/db/schema.js';
import { createRolloutPlanner, sweepTimeouts } from '../../../../server/fleet/rollouts/index.js';
import { getRollout } from '../../../../server/fleet/rollouts/rollout-view.js';
import { withTestDatabase } from '../../../helpers/databases.js';
import { at, device, deviceIds, event, rollbackEvents, rollout, seedFirmware, seedRelease, successEvents, T0 } from './rollout-fixtures.js';

async function replicas(t: Test): Promise<[Kysely<Database>, Kysely<Database>]> {
  const first = await withTestDatabase(t, 'postgres');
  const second = openDatabase({ url: first.url });
  t.teardown(() => second.close());
  return [first.db, second.db];
}

/** The counters as recomputed from the per-device rows. */
async function recount(db: Kysely<Database>, rolloutId: string) {
  const rows = await db.selectFrom('rollout_devices').select(['attempted', 'outcome']).where('rollout_id', '=', rolloutId).execute();
  return {
    admitted: rows.length,
    attempted: rows.filter((row) => row.attempted === 1).length,
    succeeded: rows.filter((row) => row.outcome === 'succeeded').length,
    failed: rows.filter((row) => row.outcome === 'failed' || row.outcome === 'timed-out').length,
    timedOut: rows.filter((row) => row.outcome === 'timed-out').length,
  };
}

t.test('two replicas admitting, recording and sweeping at once keep exact counters', async (t) => {
  const [a, b] = await replicas(t);
  const replica = (i: number) => (i % 2 === 0 ? a : b);
  const planner = createRolloutPlanner({ config: { sweepIntervalSeconds: 1 } });
  await seedFirmware(a);
  const created = await rollout(a, {
    phases: [{ kind: 'count', value: 40, advance: 'manual' }, { kind: 'percent', value: 100 }],
    abort: { minAttempted: 1000, failureRatio: 1 },
    silentTimeoutSeconds: 600,
  });

  // 150 terminals check in at once, half through each replica: a count phase of 40.
  const ids = deviceIds(150);
  const plans = await Promise.all(ids.map((id, i) => planner.planFor(replica(i), device(id), T0)));
  const admitted = ids.filter((_, i) => plans[i]!.images.length === 1);
  t.equal(admitted.length, 40, 'exactly the count, across both replicas');

  // 35 report (every third rolls back), 5 stay silent. Each device's report reaches both
  // replicas at once: the same story twice, as a device re-sending after a lost answer would.
  const reporting = admitted.slice(0, 35);
  const silent = admitted.slice(35);
  const failing = reporting.filter((_, i) => i % 3 === 0);
  const story = (id: string) => (failing.includes(id) ? rollbackEvents(created.id) : successEvents(created.id));
  await Promise.all(reporting.flatMap((id) => [planner.recordEvents(a, id, story(id), at(60)), planner.recordEvents(b, id, story(id), at(60))]));

  // Later both replicas sweep on their timers while check-ins also look for silent devices.
  const later = at(3600);
  await Promise.all([sweepTimeouts(a, later), sweepTimeouts(b, later), ...ids.slice(0, 20).map((id, i) => planner.planFor(replica(i), device(id), later))]);

  const view = await getRollout(a, created.id, { states: true });
  const expected = { admitted: 40, attempted: 40, succeeded: 35 - failing.length, failed: failing.length + silent.length, timedOut: silent.length };
  t.match(view?.phases[0], expected, 'phase counters');
  t.same(await recount(b, created.id), expected, 'the same as counted from the device rows');
  t.match(view?.states, { succeeded: expected.succeeded, 'rolled-back': failing.length, failed: silent.length });
  const timeouts = await a.selectFrom('rollout_history').select('device_id').where('rollout_id', '=', created.id).where('kind', '=', 'timed-out').execute();
  t.same(timeouts.map((row) => row.device_id).sort(), [...silent].sort(), 'each silent device timed out once');
});

t.test('two replicas crossing the abort threshold together abort once', async (t) => {
  const [a, b] = await replicas(t);
  const planner = createRolloutPlanner();
  await seedFirmware(a);
  const created = await rollout(a, { abort: { minAttempted: 10, failureRatio: 0.3 } });
  const ids = deviceIds(30);
  for (const id of ids) await planner.planFor(a, device(id), T0);
  await Promise.all(ids.map((id, i) => planner.recordEvents(i % 2 === 0 ? a : b, id, [event('download-started', created.id), event('rolled-back', created.id, { code: 'STW_DEVICE_HEALTH_CHECK_FAILED' })], at(5))));
  const view = await getRollout(b, created.id, { states: true });
  t.equal(view?.status, 'aborted');
  t.match(view?.totals, { attempted: 30, failed: 30 }, 'events after the abort still count');
  const aborts = await b.selectFrom('rollout_history').select('id').where('rollout_id', '=', created.id).where('kind', '=', 'aborted').execute();
  t.equal(aborts.length, 1, 'one abort');
});

t.test('recording inside the caller transaction, as the check-in does, on two replicas: exact, no deadlock, one abort', async (t) => {
  const [a, b] = await replicas(t);
  const planner = createRolloutPlanner();
  await seedFirmware(a);
  await seedRelease(a, { path: 'acme/t100-pay-2.0.0.apk', version: '2.0.0', component: 'payment-app' });
  const firmware = await rollout(a, { abort: { minAttempted: 20, failureRatio: 0.5 }, phases: [{ kind: 'count', value: 60, advance: 'manual' }, { kind: 'percent', value: 100 }] });
  const app = await rollout(a, { targetPath: 'acme/t100-pay-2.0.0.apk', abort: { minAttempted: 1000, failureRatio: 1 } });
  const ids = deviceIds(60);
  for (const id of ids) await planner.planFor(a, device(id, { installed: { firmware: '1.1.0', 'payment-app': '1.0.0' } }), T0);

  // Each check-in stores its events and hands them over in one transaction; both rollouts at once.
  const failing = new Set(ids.filter((_, i) => i % 3 !== 0));
  await Promise.all(
    ids.map((id, i) =>
      (i % 2 === 0 ? a : b).transaction().execute((trx) =>
        planner.recordEvents(trx, id, [...(failing.has(id) ? rollbackEvents(firmware.id) : successEvents(firmware.id)), ...successEvents(app.id).map((e) => ({ ...e, targetPath: 'acme/t100-pay-2.0.0.apk' }))], at(10)),
      ),
    ),
  );
  const fw = await getRollout(a, firmware.id);
  t.equal(fw?.status, 'aborted');
  t.match(fw?.totals, { attempted: 60, failed: failing.size, succeeded: 60 - failing.size });
  t.same(await recount(b, firmware.id), { admitted: 60, attempted: 60, succeeded: 60 - failing.size, failed: failing.size, timedOut: 0 });
  t.match((await getRollout(b, app.id))?.totals, { attempted: 60, succeeded: 60, failed: 0 });
  const decisions = await a.selectFrom('rollout_history').select('kind').where('rollout_id', '=', firmware.id).where('kind', '=', 'aborted').execute();
  t.equal(decisions.length, 1, 'aborted once');
});
