import t from 'tap';
import { Agent, backOffMs, jitteredMs } from '../../../device-sdk/agent/index.js';
import { World } from './fixtures/agent-world.js';
import { AgentStateStoreForTests } from './fixtures/state-file.js';

t.test('back-off doubles per failure between half and all of its ceiling, up to the maximum', async (t) => {
  const limits = { baseSeconds: 10, maxSeconds: 60 };
  t.equal(backOffMs(1, limits, () => 0), 5_000);
  t.equal(backOffMs(1, limits, () => 1), 10_000);
  t.equal(backOffMs(3, limits, () => 0.5), 30_000);
  t.equal(backOffMs(20, limits, () => 1), 60_000, 'capped');
  t.equal(jitteredMs(300, 0.1, () => 0), 270_000);
  t.equal(jitteredMs(300, 0.1, () => 1), 330_000);
});

t.test('when the server fails, the agent backs off with growing jittered delays and keeps its events', async (t) => {
  const world = await World.create(t);
  const release = await world.publish('2.0.0');
  const terminal = await world.terminal(t, { config: { random: () => 1 } });
  await terminal.agent.cycle();
  const deviceId = await terminal.deviceId();
  world.stub.plan(deviceId, { images: [release.image] });
  terminal.host.busy = true;
  world.clock.advance(330_000);
  await terminal.agent.cycle(); // offered, download-started, downloaded: queued
  const queued = (await terminal.agent.state()).queue.map((event) => event.kind);
  t.same(queued, ['offered', 'download-started', 'downloaded']);

  world.stub.failCheckIns = 3;
  const delays: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    world.clock.advance((await terminal.agent.state()).phase.kind === 'waiting' ? 5_000 : delays.at(-1)!);
    const result = await terminal.agent.cycle();
    t.match(result.phase, { kind: 'backing-off', failures: attempt + 1, code: 'STW_DEVICE_HTTP_STATUS' });
    delays.push(result.delayMs);
  }
  t.same(delays, [10_000, 20_000, 40_000]);
  t.same((await terminal.agent.state()).queue.map((event) => event.kind), queued, 'nothing is lost while the server refuses');
  world.clock.advance(40_000);
  await terminal.agent.cycle();
  t.same(world.stub.eventsOf(deviceId).map((event) => event.kind), queued, 'delivered once the server answers');
  t.equal((await terminal.agent.state()).failures, 0);
  t.equal((await terminal.agent.state()).queue.length, 0);
});

t.test('a restart while waiting keeps waiting instead of checking in at once', async (t) => {
  const world = await World.create(t);
  const terminal = await world.terminal(t);
  await terminal.agent.cycle();
  const checkIns = world.stub.checkIns.length;
  world.clock.advance(60_000);
  await terminal.powerOn();
  const result = await terminal.agent.cycle();
  t.equal(result.phase.kind, 'waiting');
  t.equal(result.delayMs, 240_000);
  t.equal(world.stub.checkIns.length, checkIns);
});

t.test('a restart in the middle of a check-in starts again from resuming and checks in', async (t) => {
  const world = await World.create(t);
  const terminal = await world.terminal(t);
  await terminal.agent.cycle();
  // leave the persisted phase at checking-in, as a power cut during the request would
  const state = await terminal.agent.state();
  await AgentStateStoreForTests.write(terminal.directory, { ...state, phase: { kind: 'checking-in' } });
  await terminal.powerOn();
  const first = await terminal.agent.tick();
  t.equal(first.phase.kind, 'checking-in', 'resuming leads to the check-in');
  const checkIns = world.stub.checkIns.length;
  await terminal.agent.cycle();
  t.equal(world.stub.checkIns.length, checkIns + 1);
});

t.test('while the server cannot be reached for enrolment, the agent backs off', async (t) => {
  const world = await World.create(t);
  const terminal = await world.terminal(t);
  const agent = new Agent({
    serverUrl: 'http://127.0.0.1:9', // discard port: nothing listens
    stateDirectory: terminal.directory,
    enrolment: { kind: 'token', token: 'stw_enrol_test', serial: 'T100-x', hardwareModel: 't100' },
    host: terminal.host,
    components: { firmware: terminal.installer },
    config: { now: () => world.clock.now, random: () => 0 },
  });
  const result = await agent.cycle();
  t.match(result.phase, { kind: 'backing-off', failures: 1, code: 'STW_DEVICE_FETCH_FAILED' });
  t.equal(result.delayMs, 5_000);
  t.equal(await agent.identity(), undefined);
});

t.test('run() sleeps through the injected sleeper and stops when aborted', async (t) => {
  const world = await World.create(t);
  const terminal = await world.terminal(t);
  const controller = new AbortController();
  const sleeps: number[] = [];
  const agent = new Agent({
    serverUrl: world.stub.url,
    stateDirectory: terminal.directory,
    enrolment: { kind: 'token', token: 'stw_enrol_test', serial: 'T100-run', hardwareModel: 't100' },
    host: terminal.host,
    components: { firmware: terminal.installer },
    config: {
      now: () => world.clock.now,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
        world.clock.advance(ms);
        if (sleeps.length === 3) controller.abort();
      },
    },
  });
  t.equal(await agent.run(controller.signal), 'aborted');
  t.same(sleeps, [300_000, 300_000, 300_000]);
  t.equal(world.stub.checkIns.length, 3);
});
