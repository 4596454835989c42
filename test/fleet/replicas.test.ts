/**
 * Two server replicas on one PostgreSQL serve one rollout: half the terminals check in with
 * each replica, and the phase counters still add up to exactly the fleet (issue 6, "Must show").
 */
import t from 'tap';
import { FleetSim } from '../helpers/fleet-sim.js';
import { enrolmentToken, rolloutView, startFleetServer, type RolloutSummary } from '../helpers/fleet-sim-server.js';
import { FleetWorld } from './fixtures/fleet-world.js';

const SIZE = 24;
const HOUR = 3_600_000;

// A whole fleet over HTTP: give a loaded machine room (it takes well under a minute of CPU).
t.setTimeout(300_000);

t.test('two replicas on one PostgreSQL keep one rollout\'s counters exact', async (t) => {
  const world = await FleetWorld.create(t, { database: 'postgres' });
  const { online, directorKey, directorRootKey } = world.server;
  const replica = await startFleetServer(t, {
    clock: () => world.clock.now,
    sharedDatabase: world.server.database,
    config: { blobs: world.server.config.blobs }, // one blob store behind both replicas
    keys: { online, directorKey, directorRootKey },
    initialiseDirector: false,
  });
  const release = await world.publish('2.0.0');
  const token = await enrolmentToken(world.server, { uses: SIZE, hardwareModel: 't100' });
  const servers = [world.server.url, replica.url];
  const fleets = await Promise.all(
    servers.map((serverUrl, half) =>
      FleetSim.create(t, {
        serverUrl,
        size: SIZE / 2,
        clock: world.clock,
        enrolment: (index) => ({ kind: 'token', token, serial: `T100-R${half}-${String(index).padStart(4, '0')}`, hardwareModel: 't100' }),
      }),
    ),
  );
  const fleet = FleetSim.combine(fleets);
  await fleet.runUntil(async () => (await Promise.all(fleet.terminals.map((terminal) => terminal.deviceId()))).every(Boolean), { maxMs: HOUR });

  const rolloutId = await world.startRollout({ targetPath: release.path, phases: [{ kind: 'count', value: 8 }, { kind: 'count', value: 16 }] });
  let view: RolloutSummary | undefined;
  await fleet.runUntil(async () => (view = await rolloutView(world.server, rolloutId)).status !== 'active', { maxMs: 12 * HOUR });
  t.equal(view?.status, 'completed');
  t.same(view?.phases.map((phase) => [phase.admitted, phase.attempted, phase.succeeded, phase.failed]), [[8, 8, 8, 0], [16, 16, 16, 0]]);
  t.match(view?.totals, { admitted: SIZE, succeeded: SIZE, failed: 0 });
  t.same(await fleet.versions(), { '2.0.0': SIZE });
  t.same(await rolloutView(replica, rolloutId), view, 'both replicas show the same rollout');
});
