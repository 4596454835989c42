import t from 'tap';
import { readFile } from 'node:fs/promises';
import { FleetWorld, runTerminal } from './fleet-world.js';

t.test('a terminal enrols with a token, checks in signed, and gets 304 while nothing changes', async (t) => {
  const world = await FleetWorld.create(t);
  const terminal = await world.terminal(t);
  await terminal.step();
  const deviceId = await terminal.deviceId();
  t.match(deviceId, /^dev_/);
  const state = await terminal.agent.state();
  t.equal(state.phase.kind, 'waiting');
  t.ok(state.etag, 'the director document came with an ETag');
  await runTerminal(world, terminal, 1_200_000);
  t.equal((await terminal.agent.state()).failures, 0, 'every check-in was accepted');
});

t.test('a one-device rollout is installed, committed and reported to the server', async (t) => {
  const world = await FleetWorld.create(t);
  const release = await world.publish('2.0.0');
  const terminal = await world.terminal(t);
  await terminal.step();
  const deviceId = await terminal.deviceId();
  const rolloutId = await world.startRollout({ targetPath: release.path, selector: { deviceIds: [deviceId] }, phases: [{ kind: 'count', value: 1 }] });
  await runTerminal(world, terminal, 1_800_000);
  t.equal(await terminal.installedVersion(), '2.0.0');
  t.same(await readFile(terminal.installer.slotPath('b')), release.bytes);
  const rollout = await world.server.app.inject({ method: 'GET', url: `/v1/operator/rollouts/${rolloutId}`, headers: { authorization: `Bearer ${world.server.operatorToken}` } });
  t.match(rollout.json(), { status: 'completed', totals: { succeeded: 1, failed: 0 } });
});
