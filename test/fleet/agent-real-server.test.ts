import t from 'tap';
import { readFile } from 'node:fs/promises';
import { DATABASE_KINDS } from '../helpers/databases.js';
import { FleetSim } from '../helpers/fleet-sim.js';
import { operator } from '../helpers/server-harness.js';
import { buildDevicePki, FIXTURE_NOW } from '../helpers/x509-fixtures.js';
import { FleetWorld, runTerminal } from './fixtures/fleet-world.js';

for (const database of DATABASE_KINDS) {
  t.test(`on ${database}`, async (t) => {
    t.test('a terminal enrols with a token, checks in signed, and gets 304 while nothing changes', async (t) => {
      const world = await FleetWorld.create(t, { database });
      const terminal = await world.terminal(t);
      await terminal.step();
      const deviceId = await terminal.deviceId();
      t.match(deviceId, /^dev_/);
      const state = await terminal.agent.state();
      t.equal(state.phase.kind, 'waiting');
      t.ok(state.etag, 'the director document came with an ETag');
      await runTerminal(world, terminal, 1_200_000);
      t.equal((await terminal.agent.state()).failures, 0, 'every check-in was accepted');
      const history = await operator(world.server, 'GET', `/v1/operator/devices/${deviceId}/history`);
      t.match(history.json(), { checkIns: [{ installed: [{ component: 'firmware', version: '1.0.0' }], health: { printer: { paper: 'ok' } } }] }, 'the server keeps the reported state and health');
    });

    t.test('a one-device rollout is installed, committed and reported to the server', async (t) => {
      const world = await FleetWorld.create(t, { database });
      const release = await world.publish('2.0.0');
      const terminal = await world.terminal(t);
      await terminal.step();
      const deviceId = await terminal.deviceId();
      const rolloutId = await world.startRollout({ targetPath: release.path, selector: { deviceIds: [deviceId] }, phases: [{ kind: 'count', value: 1 }] });
      await runTerminal(world, terminal, 1_800_000);
      t.equal(await terminal.installedVersion(), '2.0.0');
      t.same(await readFile(terminal.installer.slotPath('b')), release.bytes);
      const rollout = await operator(world.server, 'GET', `/v1/operator/rollouts/${rolloutId}`);
      t.match(rollout.json(), { status: 'completed', totals: { succeeded: 1, failed: 0 } });
      const history = await operator(world.server, 'GET', `/v1/operator/devices/${deviceId}/history`);
      const kinds = (history.json() as { events: { kind: string }[] }).events.map((event) => event.kind).sort();
      t.same(kinds, ['committed', 'download-started', 'downloaded', 'install-started', 'offered'].sort(), 'every step of the update is in the device history');
    });
  });
}

t.test('a terminal enrols zero-touch with its manufacturing certificate', async (t) => {
  const world = await FleetWorld.create(t, { start: FIXTURE_NOW });
  const pki = buildDevicePki({ serialNumber: 'SN-ZT-0001', hardwareModel: 't100' });
  const registered = await operator(world.server, 'PUT', '/v1/operator/vendors/acme/manufacturing-ca', { certificates: pki.trustedCaPem });
  t.equal(registered.statusCode, 200);
  const fleet = await FleetSim.create(t, {
    serverUrl: world.server.url,
    size: 1,
    clock: world.clock,
    enrolment: () => ({ kind: 'certificate', certificateChainPem: pki.chainPem, manufacturingKeyPem: pki.leafPrivateKeyPem }),
  });
  const terminal = fleet.terminals[0]!;
  await terminal.step();
  const identity = await terminal.agent.identity();
  t.match(identity, { serial: 'SN-ZT-0001', hardwareModel: 't100', deviceId: /^dev_/ });
  t.equal((await terminal.agent.state()).phase.kind, 'waiting', 'enrolled and checked in');
});
