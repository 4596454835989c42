/**
 * A seeded Steward for the console's browser tests and screenshots, built only through the
 * API (and `createUser`, which stands in for `steward user add` on the server host): a
 * listening server with the real rollout planner and an injected clock, the `acme` vendor
 * with firmware releases for two models, signed terminals that enrolled and checked in
 * (mixed versions, paper out, a failed update, one offline), and a rollout of T100 1.2.0
 * whose first phase has run (3 committed, 1 rolled back). People: two operators (a maker
 * and a checker), a vendor user.
 *
 * @example
 * const world = await startConsoleWorld(t, { database: 'sqlite' });
 * await page.goto(`${world.url}/console`);
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { createUser } from '../../server/accounts/users.js';
import type { DatabaseKind } from './databases.js';
import { ensureConsoleBuilt } from './console-build.js';
import { TestTerminal, type FleetTestServer } from './fleet-harness.js';
import { enrolmentToken, startFleetServer, type FleetServer } from './fleet-sim-server.js';
import { expectOk, initialiseRepository, operator, publishRelease, type TestRepository } from './server-harness.js';

export const WORLD_START = new Date('2026-12-01T09:00:00Z');
export const PASSWORD = 'console-test-password';

export interface Person {
  readonly id: string;
  readonly username: string;
  readonly password: string;
}

export interface ConsoleTerminal {
  readonly terminal: TestTerminal;
  readonly serial: string;
  readonly model: string;
  firmware: string;
  /** The profile version the terminal reports having applied. */
  profileVersion: number | null;
  /** What it reports as its health (kept until a check-in gives another). */
  health: Record<string, unknown>;
}

export interface ConsoleWorld {
  readonly url: string;
  readonly server: FleetServer;
  readonly repo: TestRepository;
  readonly clock: { now: Date };
  readonly terminals: ConsoleTerminal[];
  readonly rolloutId: string;
  /** The terminal that stopped checking in. */
  readonly offline: ConsoleTerminal;
  /** The terminals whose printer is out of paper (one), and the T100 that rolled back 1.2.0 in the rollout. */
  readonly paperOut: ConsoleTerminal;
  readonly rolledBack: ConsoleTerminal;
  readonly people: { readonly maker: Person; readonly checker: Person; readonly vendor: Person };
  /** Move the clock by `seconds`. */
  advance(seconds: number): void;
  /** A signed check-in of one terminal reporting its firmware and profile version (a given one is kept), plus optional health and events. */
  checkIn(device: ConsoleTerminal, extra?: { health?: Record<string, unknown>; events?: Record<string, unknown>[]; profileVersion?: number | null }): Promise<CheckInAnswer>;
  /** Every terminal but the offline one checks in (after the clock moved, so they do not look offline). */
  refresh(): Promise<void>;
  /** Create a user, as `steward user add` does on the server host. */
  person(username: string, role: 'operator' | 'merchant' | 'vendor', tenantId?: string): Promise<Person>;
}

export interface CheckInAnswer {
  readonly response: LightMyRequestResponse;
  /** Director targets by name, with their `custom` fields. */
  readonly targets: Record<string, { custom?: Record<string, unknown> }>;
}

const T100 = 't100';
const T200 = 't200';
export const ROLLOUT_TARGET = 'acme/t100-fw-1.2.0.bin';

export async function startConsoleWorld(t: Test, options: { database?: DatabaseKind } = {}): Promise<ConsoleWorld> {
  const consoleDir = await ensureConsoleBuilt();
  const clock = { now: new Date(WORLD_START) };
  const server = await startFleetServer(t, { database: options.database ?? 'sqlite', clock: () => clock.now, config: { consoleDir } });
  const repo = await initialiseRepository(server, { vendors: ['acme'] });
  const acme = repo.vendors['acme']!;
  for (const [model, version] of [[T100, '1.0.0'], [T100, '1.1.0'], [T100, '1.2.0'], [T200, '2.0.0'], [T200, '2.1.0']] as const) {
    const { response } = await publishRelease(server, acme, { file: `${model}-fw-${version}.bin`, bytes: randomBytes(2048), version, hardwareIds: [model] });
    expectOk(response, `publish ${model} ${version}`);
  }

  // The terminals sign with the server's clock; TestTerminal needs only the app and the time.
  const signer = { app: server.app, get now() { return clock.now; } } as unknown as FleetTestServer;
  const token = await enrolmentToken(server, { uses: 12 });
  const terminals: ConsoleTerminal[] = [];
  const fleet: [string, string, number][] = [[T100, '1.1.0', 5], [T100, '1.0.0', 3], [T200, '2.0.0', 2], [T200, '2.1.0', 1]];
  for (const [model, firmware, count] of fleet) {
    for (let i = 0; i < count; i++) {
      const terminal = new TestTerminal(signer);
      const serial = `${model.toUpperCase()}-${String(terminals.length + 1).padStart(4, '0')}`;
      expectOk(await terminal.enrolWithToken({ token, serial, hardwareModel: model }), `enrol ${serial}`);
      terminals.push({ terminal, serial, model, firmware, profileVersion: null, health: healthy() });
    }
  }

  const checkIn: ConsoleWorld['checkIn'] = async (device, extra = {}) => {
    const installed = [{ component: 'firmware', version: device.firmware, targetPath: `acme/${device.model}-fw-${device.firmware}.bin` }];
    if (extra.profileVersion !== undefined) device.profileVersion = extra.profileVersion;
    if (extra.health !== undefined) device.health = extra.health;
    const response = await device.terminal.checkIn({ installed, health: device.health, profileVersion: device.profileVersion, ...(extra.events ? { events: extra.events } : {}) });
    expectOk(response, `check-in of ${device.serial}`);
    const director = response.json<{ director: { signed: { targets: CheckInAnswer['targets'] } } }>().director;
    return { response, targets: director.signed.targets };
  };

  // Day one: everyone checks in; one printer is out of paper, one terminal failed an update.
  for (const device of terminals) await checkIn(device);
  const [paperOut, failed, offline] = [terminals[1]!, terminals[9]!, terminals[7]!];
  await checkIn(paperOut, { health: { ...healthy(), printer: { paper: 'out' } } });
  await checkIn(failed, { events: [event('rolled-back', clock.now, { targetPath: 'acme/t200-fw-2.1.0.bin', version: '2.1.0', code: 'HEALTH_CHECK_FAILED' })] });

  // Two hours later all but one check in again: that one is offline.
  clock.now = new Date(clock.now.getTime() + 2 * 3600_000);
  for (const device of terminals) if (device !== offline) await checkIn(device);

  clock.now = new Date(clock.now.getTime() + 20 * 60_000);
  const created = await operator(server, 'POST', '/v1/operator/rollouts', {
    targetPath: ROLLOUT_TARGET,
    label: 'T100 firmware 1.2.0',
    selector: { hardwareModels: [T100] },
    phases: [{ kind: 'count', value: 4, advance: 'manual' }, { kind: 'percent', value: 100 }],
    abort: { minAttempted: 3, failureRatio: 0.5 },
  });
  expectOk(created, 'create rollout');
  const rolloutId = created.json<{ id: string }>().id;

  // The first phase runs: the admitted terminals install 1.2.0; one of them rolls back.
  let outcomes = 0;
  let rolledBack: ConsoleTerminal | undefined;
  for (const device of terminals.filter((item) => item.model === T100 && item !== offline)) {
    clock.now = new Date(clock.now.getTime() + 7 * 60_000);
    const answer = await checkIn(device);
    const offer = answer.targets[ROLLOUT_TARGET];
    if (!offer) continue;
    const ok = outcomes++ !== 1;
    const common = { rolloutId, targetPath: ROLLOUT_TARGET, version: '1.2.0' };
    const steps = ['offered', 'download-started', 'downloaded', 'install-started', ok ? 'committed' : 'rolled-back'];
    const start = clock.now.getTime();
    const events = steps.map((kind, i) => event(kind, new Date(start + i * 60_000), { ...common, ...(kind === 'rolled-back' ? { code: 'BOOT_FAILED' } : {}) }));
    clock.now = new Date(start + steps.length * 60_000);
    if (ok) device.firmware = '1.2.0';
    else rolledBack = device;
    await checkIn(device, { events });
  }
  if (!rolledBack) throw new Error('the rollout admitted fewer than two terminals');
  // A last round, so that only the offline terminal is offline.
  for (const device of terminals) if (device !== offline) await checkIn(device);

  const person: ConsoleWorld['person'] = async (username, role, tenantId) => {
    const user = await createUser(server.database.db, { username, role, tenantId: tenantId ?? null, password: PASSWORD }, clock.now);
    return { id: user.id, username, password: PASSWORD };
  };
  const people = { maker: await person('olivia', 'operator'), checker: await person('oscar', 'operator'), vendor: await person('vera', 'vendor', 'acme') };

  return {
    url: server.url,
    server,
    repo,
    clock,
    terminals,
    rolloutId,
    offline,
    paperOut,
    rolledBack,
    people,
    advance(seconds) {
      clock.now = new Date(clock.now.getTime() + seconds * 1000);
    },
    checkIn,
    async refresh() {
      for (const device of terminals) if (device !== offline) await checkIn(device);
    },
    person,
  };
}

function healthy(): Record<string, unknown> {
  return { printer: { paper: 'ok' }, power: { source: 'mains', batteryPercent: 96, charging: false }, network: { type: 'wifi', signalDbm: -58 }, freeStorageBytes: 512 * 1024 * 1024 };
}

export function event(kind: string, at: Date, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: randomUUID(), kind, at: at.toISOString(), ...fields };
}
