/**
 * A fleet of simulated terminals in one process: each a real SDK `Agent` with its own state
 * directory, file-backed A/B slots (`FileSlotInstaller`) and a host whose health check passes
 * or fails by the version the terminal booted. Time is a shared injected clock: the fleet
 * moves it to the next moment some terminal has something to do and runs those terminals
 * (a few at a time), restarting a terminal (bootloader decision, new agent) whenever it asked
 * for a reboot. Nothing sleeps.
 *
 * @example
 * const clock = new SimClock(new Date('2026-12-01T09:00:00Z'));
 * const fleet = await FleetSim.create(t, { serverUrl, size: 30, clock, enrolment: (i) => ({ kind: 'token', ... }) });
 * await fleet.runUntil(() => fleet.terminals.every((terminal) => terminal.enrolled), { maxMs: 3_600_000 });
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { Agent, type AgentConfig, type AgentHost, type HealthReport, type TickResult } from '../../device-sdk/agent/index.js';
import type { EnrolmentMethod } from '../../device-sdk/enrol/index.js';
import { FileSlotInstaller } from '../../device-sdk/install/index.js';

export class SimClock {
  now: Date;
  constructor(start: Date) {
    this.now = start;
  }
  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }
}

/** The terminal application: health check by booted version, never busy unless told. */
export class SimHost implements AgentHost {
  busy = false;
  reboots = 0;
  healthChecks = 0;
  readonly #installer: FileSlotInstaller;
  readonly #healthy: (version: string) => boolean;

  constructor(installer: FileSlotInstaller, healthy: (version: string) => boolean) {
    this.#installer = installer;
    this.#healthy = healthy;
  }

  canInstallNow(): boolean {
    return !this.busy;
  }

  async healthCheck(): Promise<boolean> {
    this.healthChecks += 1;
    const boot = await this.#installer.bootState();
    return this.#healthy(boot.slots[boot.booted]?.version ?? 'unknown');
  }

  async reboot(): Promise<void> {
    this.reboots += 1;
  }

  health(): HealthReport {
    return { power: { source: 'mains' }, network: { type: 'ethernet' }, printer: { paper: 'ok' }, selfTest: { keypad: 'ok', screen: 'ok' }, uptimeSeconds: 3600 };
  }
}

export interface SimTerminalOptions {
  readonly serverUrl: string;
  readonly directory: string;
  readonly enrolment: EnrolmentMethod;
  readonly clock: SimClock;
  readonly healthy?: (version: string) => boolean;
  readonly factoryVersion?: string;
  readonly config?: Partial<AgentConfig>;
}

export class SimTerminal {
  readonly installer: FileSlotInstaller;
  readonly host: SimHost;
  agent: Agent;
  /** When this terminal next has something to do (ms since the epoch). */
  dueAt: number;
  readonly #options: SimTerminalOptions;

  private constructor(options: SimTerminalOptions, installer: FileSlotInstaller) {
    this.#options = options;
    this.installer = installer;
    this.host = new SimHost(installer, options.healthy ?? (() => true));
    this.agent = this.#newAgent();
    this.dueAt = options.clock.now.getTime();
  }

  static async provision(options: SimTerminalOptions): Promise<SimTerminal> {
    const installer = await FileSlotInstaller.provision(join(options.directory, 'slots'), Buffer.from(`factory image ${options.directory}`), options.factoryVersion ?? '1.0.0');
    return new SimTerminal(options, installer);
  }

  /** A restart: the bootloader picks a slot, a new agent starts on the same state directory. */
  async powerOn(): Promise<void> {
    await this.installer.boot();
    this.agent = this.#newAgent();
  }

  /** One cycle of the agent; a reboot request restarts the terminal at once. */
  async step(): Promise<TickResult> {
    const result = await this.agent.cycle();
    if (result.phase.kind === 'rebooting') {
      await this.powerOn();
      this.dueAt = this.#options.clock.now.getTime();
    } else {
      this.dueAt = this.#options.clock.now.getTime() + Math.max(result.delayMs, 1);
    }
    return result;
  }

  async installedVersion(): Promise<string | undefined> {
    const boot = await this.installer.bootState();
    return boot.slots[boot.active]?.version;
  }

  async deviceId(): Promise<string | undefined> {
    return (await this.agent.identity())?.deviceId;
  }

  #newAgent(): Agent {
    const clock = this.#options.clock;
    return new Agent({
      serverUrl: this.#options.serverUrl,
      stateDirectory: this.#options.directory,
      enrolment: this.#options.enrolment,
      host: this.host,
      components: { firmware: this.installer },
      config: { now: () => clock.now, random: Math.random, sleep: async () => {}, ...this.#options.config },
    });
  }
}

export interface FleetSimOptions {
  readonly serverUrl: string;
  readonly size: number;
  readonly clock: SimClock;
  readonly enrolment: (index: number) => EnrolmentMethod;
  readonly healthy?: (version: string) => boolean;
  /** Terminals stepped at once (each a few HTTP requests). */
  readonly concurrency?: number;
  readonly config?: Partial<AgentConfig>;
}

export class FleetSim {
  readonly terminals: readonly SimTerminal[];
  readonly clock: SimClock;
  readonly #concurrency: number;

  private constructor(terminals: SimTerminal[], clock: SimClock, concurrency: number) {
    this.terminals = terminals;
    this.clock = clock;
    this.#concurrency = concurrency;
  }

  static async create(t: Test, options: FleetSimOptions): Promise<FleetSim> {
    const root = mkdtempSync(join(tmpdir(), 'steward-fleet-sim-'));
    t.teardown(() => rmSync(root, { recursive: true, force: true }));
    const terminals: SimTerminal[] = [];
    for (let index = 0; index < options.size; index++) {
      terminals.push(
        await SimTerminal.provision({
          serverUrl: options.serverUrl,
          directory: join(root, `terminal-${String(index).padStart(3, '0')}`),
          enrolment: options.enrolment(index),
          clock: options.clock,
          ...(options.healthy ? { healthy: options.healthy } : {}),
          ...(options.config ? { config: options.config } : {}),
        }),
      );
    }
    return new FleetSim(terminals, options.clock, options.concurrency ?? 6);
  }

  /** One fleet of the terminals of several (e.g. each talking to another server replica); they must share the clock. */
  static combine(fleets: readonly FleetSim[]): FleetSim {
    const first = fleets[0];
    if (first === undefined || fleets.some((fleet) => fleet.clock !== first.clock)) throw new Error('fleets to combine share one clock');
    return new FleetSim(fleets.flatMap((fleet) => fleet.terminals), first.clock, first.#concurrency);
  }

  /** Move the clock to the next due terminal and step every terminal due by then. */
  async round(): Promise<void> {
    const next = Math.min(...this.terminals.map((terminal) => terminal.dueAt));
    if (next > this.clock.now.getTime()) this.clock.now = new Date(next);
    const due = this.terminals.filter((terminal) => terminal.dueAt <= this.clock.now.getTime());
    for (let start = 0; start < due.length; start += this.#concurrency) {
      await Promise.all(due.slice(start, start + this.#concurrency).map((terminal) => terminal.step()));
    }
  }

  /** Rounds until `done()` holds; fails after `maxMs` of simulated time or `maxRounds`. */
  async runUntil(done: () => boolean | Promise<boolean>, limits: { maxMs: number; maxRounds?: number }): Promise<void> {
    const end = this.clock.now.getTime() + limits.maxMs;
    for (let round = 0; round < (limits.maxRounds ?? 10_000); round++) {
      if (await done()) return;
      if (Math.min(...this.terminals.map((terminal) => terminal.dueAt)) > end) break;
      await this.round();
    }
    if (!(await done())) throw new Error(`the fleet did not get there within ${limits.maxMs} ms of simulated time`);
  }

  /** Rounds until the clock would pass `ms` from now. */
  async runFor(ms: number): Promise<void> {
    const end = this.clock.now.getTime() + ms;
    while (Math.min(...this.terminals.map((terminal) => terminal.dueAt)) <= end) await this.round();
    this.clock.now = new Date(Math.max(this.clock.now.getTime(), end));
  }

  /** How many terminals run each version (active slot). */
  async versions(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const terminal of this.terminals) {
      const version = (await terminal.installedVersion()) ?? 'none';
      counts[version] = (counts[version] ?? 0) + 1;
    }
    return counts;
  }
}
