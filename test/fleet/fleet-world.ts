/**
 * The shared setup of the fleet tests: a real Steward server on loopback with an injected
 * clock, an image repository with an `acme` vendor, vendor releases published through the API,
 * and simulated terminals enrolled with operator tokens.
 */
import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import type { DatabaseKind } from '../helpers/databases.js';
import { FleetSim, SimClock, type SimTerminal } from '../helpers/fleet-sim.js';
import { enrolmentToken, startFleetServer, type FleetServer } from '../helpers/fleet-sim-server.js';
import { expectOk, initialiseRepository, operator, publishRelease, type TestRepository } from '../helpers/server-harness.js';

export const START = new Date('2026-12-01T09:00:00Z');

export interface PublishedRelease {
  readonly path: string;
  readonly bytes: Buffer;
  readonly version: string;
}

export class FleetWorld {
  readonly clock: SimClock;
  readonly server: FleetServer;
  readonly repository: TestRepository;
  #terminals = 0;

  private constructor(clock: SimClock, server: FleetServer, repository: TestRepository) {
    this.clock = clock;
    this.server = server;
    this.repository = repository;
  }

  static async create(t: Test, options: { database?: DatabaseKind; start?: Date } = {}): Promise<FleetWorld> {
    const clock = new SimClock(options.start ?? START);
    const server = await startFleetServer(t, { clock: () => clock.now, ...(options.database ? { database: options.database } : {}) });
    const repository = await initialiseRepository(server, { vendors: ['acme'] });
    return new FleetWorld(clock, server, repository);
  }

  async publish(version: string, options: { hardwareIds?: string[]; size?: number } = {}): Promise<PublishedRelease> {
    const bytes = randomBytes(options.size ?? 4096);
    const { path, response } = await publishRelease(this.server, this.repository.vendors.acme!, { file: `t100-fw-${version}.bin`, bytes, version, hardwareIds: options.hardwareIds ?? ['t100'] });
    expectOk(response, `publish ${version}`);
    return { path, bytes, version };
  }

  /** One terminal enrolled by token (not yet run). */
  async terminal(t: Test, options: { serverUrl?: string; healthy?: (version: string) => boolean } = {}): Promise<SimTerminal> {
    const token = await enrolmentToken(this.server, { hardwareModel: 't100' });
    const fleet = await FleetSim.create(t, {
      serverUrl: options.serverUrl ?? this.server.url,
      size: 1,
      clock: this.clock,
      enrolment: () => ({ kind: 'token', token, serial: `T100-${String(++this.#terminals).padStart(6, '0')}-${randomBytes(2).toString('hex')}`, hardwareModel: 't100' }),
      ...(options.healthy ? { healthy: options.healthy } : {}),
    });
    return fleet.terminals[0]!;
  }

  /** Start a rollout through the operator API; returns its id. */
  async startRollout(body: Record<string, unknown>): Promise<string> {
    const response = await operator(this.server, 'POST', '/v1/operator/rollouts', body);
    expectOk(response, 'start rollout');
    return response.json<{ id: string }>().id;
  }
}

/** Step one terminal until it waits longer than `ms` from now (moving the clock over each wait). */
export async function runTerminal(world: FleetWorld, terminal: SimTerminal, ms: number): Promise<void> {
  const end = world.clock.now.getTime() + ms;
  for (let steps = 0; steps < 1000; steps++) {
    if (terminal.dueAt > end) return;
    if (terminal.dueAt > world.clock.now.getTime()) world.clock.now = new Date(terminal.dueAt);
    await terminal.step();
  }
  throw new Error('the terminal never came to rest');
}

/** Move the clock to when the terminal is next due, and step it. */
export async function stepWhenDue(world: FleetWorld, terminal: SimTerminal): Promise<void> {
  if (terminal.dueAt > world.clock.now.getTime()) world.clock.now = new Date(terminal.dueAt);
  await terminal.step();
}
