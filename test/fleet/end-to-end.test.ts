/**
 * End to end over real HTTP (issue 6, "Must show"): a vendor publishes, the operator starts a
 * three-phase rollout through the API, a fleet of 30 simulated terminals (SDK agents, each
 * with its own state directory, A/B slots and stores) updates phase by phase; then a faulty
 * release whose health check fails halts its rollout automatically at the abort threshold,
 * and the terminals that tried it roll back. Time is an injected clock shared by the server
 * and the terminals; nothing sleeps.
 */
import t from 'tap';
import { FleetSim, type SimTerminal } from '../helpers/fleet-sim.js';
import { enrolmentToken, rolloutView, type RolloutSummary } from '../helpers/fleet-sim-server.js';
import { operator } from '../helpers/server-harness.js';
import { FleetWorld } from './fixtures/fleet-world.js';

const SIZE = 30;
const HOUR = 3_600_000;

// A whole fleet over HTTP: give a loaded machine room (it takes well under a minute of CPU).
t.setTimeout(300_000);

t.test('a fleet updates phase by phase, and a faulty release halts itself and rolls back', async (t) => {
  const world = await FleetWorld.create(t);
  const good = await world.publish('2.0.0');
  const faulty = await world.publish('3.0.0');
  const token = await enrolmentToken(world.server, { uses: SIZE, hardwareModel: 't100' });
  const fleet = await FleetSim.create(t, {
    serverUrl: world.server.url,
    size: SIZE,
    clock: world.clock,
    enrolment: (index) => ({ kind: 'token', token, serial: `T100-${String(index).padStart(6, '0')}`, hardwareModel: 't100' }),
    // the terminal application cannot take payments on 3.0.0
    healthy: (version) => version !== '3.0.0',
  });

  // Every terminal enrols and checks in.
  await fleet.runUntil(async () => (await Promise.all(fleet.terminals.map((terminal) => terminal.deviceId()))).every(Boolean), { maxMs: HOUR });
  t.same(await fleet.versions(), { '1.0.0': SIZE }, 'the factory image everywhere');

  // The operator rolls 2.0.0 out in three phases of 3, 9 and 18 terminals.
  const first = await world.startRollout({ targetPath: good.path, label: 'fw 2.0.0', phases: [{ kind: 'count', value: 3 }, { kind: 'count', value: 9 }, { kind: 'count', value: 18 }] });
  const onNewVersion: number[][] = [[], [], []]; // per phase: terminals on 2.0.0 seen while it was the current phase
  let view: RolloutSummary = await rolloutView(world.server, first);
  await fleet.runUntil(
    async () => {
      view = await rolloutView(world.server, first);
      if (view.status === 'active') onNewVersion[view.currentPhase]?.push((await fleet.versions())['2.0.0'] ?? 0);
      return view.status !== 'active';
    },
    { maxMs: 12 * HOUR },
  );
  t.equal(view.status, 'completed');
  t.same(await fleet.versions(), { '2.0.0': SIZE }, 'every terminal runs 2.0.0');
  t.same(view.phases.map((phase) => [phase.admitted, phase.succeeded, phase.failed]), [[3, 3, 0], [9, 9, 0], [18, 18, 0]]);
  t.ok(Math.max(...onNewVersion[0]!) <= 3, 'during phase 1 at most its 3 terminals updated');
  t.ok(Math.max(...onNewVersion[1]!) <= 12, 'during phase 2 at most 3 + 9 terminals updated');
  t.ok(onNewVersion.every((samples) => samples.length > 0), 'each phase was current for a while');
  t.ok(view.phases.every((phase) => phase.endedAt !== null), 'each phase ended (advanced automatically)');

  // A faulty 3.0.0: its health check fails on every terminal that boots it.
  const second = await world.startRollout({
    targetPath: faulty.path,
    label: 'fw 3.0.0',
    phases: [{ kind: 'count', value: 6 }, { kind: 'count', value: 12 }, { kind: 'count', value: 12 }],
    abort: { minAttempted: 3, failureRatio: 0.5 },
  });
  await fleet.runUntil(
    async () => {
      view = await rolloutView(world.server, second);
      return view.status !== 'active';
    },
    { maxMs: 12 * HOUR },
  );
  t.equal(view.status, 'aborted', 'the rollout halted itself');
  t.equal(view.currentPhase, 0, 'it never left its first phase');
  t.ok(view.totals.failed >= 3, 'at the abort threshold');
  t.equal(view.totals.succeeded, 0);

  // Let the terminals that were mid-update finish, then look at the fleet.
  await fleet.runFor(2 * HOUR);
  t.same(await fleet.versions(), { '2.0.0': SIZE }, 'no terminal runs 3.0.0: those that tried it rolled back');
  const tried: SimTerminal[] = [];
  for (const terminal of fleet.terminals) {
    const state = await terminal.agent.state();
    if (state.failedTargets[faulty.path] !== undefined) tried.push(terminal);
  }
  t.ok(tried.length >= 3 && tried.length <= 6, `only the first phase's terminals tried it (${tried.length})`);
  for (const terminal of tried) {
    const history = await operator(world.server, 'GET', `/v1/operator/devices/${await terminal.deviceId()}/history`);
    const events = (history.json() as { events: { kind: string; code: string | null; rolloutId: string | null }[] }).events.filter((event) => event.rolloutId === second);
    t.ok(events.some((event) => event.kind === 'rolled-back' && event.code === 'STW_DEVICE_HEALTH_CHECK_FAILED'), 'the server has the rollback and its code');
    t.equal((await terminal.installer.bootState()).trial, undefined, 'no trial pending');
  }
  const untouched = fleet.terminals.filter((terminal) => !tried.includes(terminal));
  t.equal(untouched.reduce((sum, terminal) => sum + terminal.host.healthChecks, 0), SIZE - tried.length, 'the others only ever checked the health of 2.0.0');
});
