/**
 * A fleet of simulated terminals (sim-terminal.ts) in one process, in real time: provisioned
 * into numbered state directories, powered on at a given rate (a fleet does not start in one
 * instant), stopped together, and counted (cheap `status()` from the boot records for
 * progress lines; full `census()` with slot hashes at the end).
 *
 * @example
 * const fleet = await SimFleet.provision({ size: 50, directory, serverUrl, enrolment: (i) => ..., ... });
 * fleet.start({ perSecond: 50 });
 * await fleet.stop();
 * const census = await fleet.census();
 */
import { setMaxListeners } from 'node:events';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentConfig, ProtocolEvent } from '../../device-sdk/agent/index.js';
import type { EnrolmentMethod } from '../../device-sdk/enrol/index.js';
import type { Dice } from './dice.js';
import { SimTerminal, type TerminalCensus } from './sim-terminal.js';

export interface SimFleetOptions {
  readonly size: number;
  readonly directory: string;
  readonly serverUrl: string;
  readonly enrolment: (index: number) => EnrolmentMethod;
  readonly healthy: (version: string) => boolean;
  readonly factoryVersion: string;
  readonly dice: Dice;
  readonly powerCutRate: () => number;
  readonly powerOffMaxMs: number;
  readonly agentConfig?: Partial<AgentConfig>;
  readonly onEvent?: (terminal: SimTerminal, event: ProtocolEvent) => void;
  readonly profileCheck?: (index: number, version: number, bytes: Uint8Array) => boolean;
}

export interface FleetStatus {
  readonly enrolled: number;
  /** Terminals by the version of their active slot. */
  readonly versions: Readonly<Record<string, number>>;
  /** Terminals by the version of the parameter profile in force ('none' before the first). */
  readonly profiles: Readonly<Record<string, number>>;
  readonly trialPending: number;
  readonly powerCuts: number;
  readonly reboots: number;
  readonly errors: number;
}

export class SimFleet {
  readonly terminals: readonly SimTerminal[];
  readonly #directories: readonly string[];
  readonly #controller = new AbortController();
  readonly #running: Promise<void>[] = [];
  readonly #enrolled = new Set<number>();
  #starting: NodeJS.Timeout | undefined;

  private constructor(terminals: SimTerminal[], directories: string[]) {
    this.terminals = terminals;
    this.#directories = directories;
    setMaxListeners(0, this.#controller.signal); // every sleeping terminal listens for the stop
  }

  static async provision(options: SimFleetOptions): Promise<SimFleet> {
    const terminals: SimTerminal[] = [];
    const directories: string[] = [];
    for (let index = 0; index < options.size; index++) {
      const directory = join(options.directory, `terminal-${String(index).padStart(5, '0')}`);
      directories.push(directory);
      terminals.push(
        await SimTerminal.provision({
          serverUrl: options.serverUrl,
          directory,
          enrolment: options.enrolment(index),
          healthy: options.healthy,
          factoryVersion: options.factoryVersion,
          dice: options.dice,
          powerCutRate: options.powerCutRate,
          powerOffMaxMs: options.powerOffMaxMs,
          ...(options.agentConfig ? { agentConfig: options.agentConfig } : {}),
          ...(options.onEvent ? { onEvent: options.onEvent } : {}),
          ...(options.profileCheck ? { profileCheck: (version: number, bytes: Uint8Array) => options.profileCheck!(index, version, bytes) } : {}),
        }),
      );
    }
    return new SimFleet(terminals, directories);
  }

  /** Powers the terminals on, `perSecond` at a time; resolves once the last one is on. */
  start(options: { perSecond: number }): Promise<void> {
    const batch = Math.max(1, Math.round(options.perSecond / 10));
    let next = 0;
    return new Promise((resolve) => {
      const tick = (): void => {
        for (let i = 0; i < batch && next < this.terminals.length; i++, next++) {
          const terminal = this.terminals[next]!;
          this.#running.push(terminal.run(this.#controller.signal));
        }
        if (next >= this.terminals.length || this.#controller.signal.aborted) {
          clearInterval(this.#starting);
          resolve();
        }
      };
      this.#starting = setInterval(tick, 100);
      tick();
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.#starting);
    this.#controller.abort();
    await Promise.allSettled(this.#running);
  }

  /** Cheap counts for progress lines: boot records and identity files only. */
  async status(): Promise<FleetStatus> {
    const versions: Record<string, number> = {};
    const profiles: Record<string, number> = {};
    let trialPending = 0;
    await Promise.all(
      this.#directories.map(async (directory, index) => {
        const boot = await readJson<{ active: string; trial?: string; slots: Record<string, { version: string } | null> }>(join(directory, 'slots', 'boot-control.json'));
        const version = boot?.slots[boot.active]?.version ?? 'unknown';
        versions[version] = (versions[version] ?? 0) + 1;
        if (boot?.trial) trialPending += 1;
        const profile = (await readJson<{ version?: number }>(join(directory, 'profile', 'profile.json')))?.version;
        const key = profile === undefined ? 'none' : String(profile);
        profiles[key] = (profiles[key] ?? 0) + 1;
        if (!this.#enrolled.has(index) && (await exists(join(directory, 'identity', 'identity.json')))) this.#enrolled.add(index);
      }),
    );
    const sum = (pick: (terminal: SimTerminal) => number): number => this.terminals.reduce((total, terminal) => total + pick(terminal), 0);
    return { enrolled: this.#enrolled.size, versions, profiles, trialPending, powerCuts: sum((t) => t.powerCuts), reboots: sum((t) => t.reboots), errors: sum((t) => t.errors) };
  }

  /** Every terminal's final state (slot hashes checked). */
  async census(): Promise<TerminalCensus[]> {
    const result: TerminalCensus[] = [];
    for (const terminal of this.terminals) result.push(await terminal.census());
    return result;
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
