/**
 * One simulated terminal in real time: a real SDK `Agent` with its own state directory,
 * file-backed A/B slots (`FileSlotInstaller`), a `ProfileApplier` for the merchant parameter
 * profile the director names, and a host whose health check passes or fails by the version
 * it booted. Its loop runs agent cycles and sleeps between them with real
 * timers; a reboot request restarts it (bootloader decision, new agent on the same state);
 * a power cut (see power-supply.ts) throws away everything held in memory, keeps it off for a
 * moment, then powers it on the same way.
 *
 * @example
 * const terminal = await SimTerminal.provision({ serverUrl, directory, enrolment, healthy: (v) => v !== '1.2.0', ... });
 * const running = terminal.run(signal);
 * ... controller.abort(); await running;
 * await terminal.census(); // { enrolled, version, bricked, ... }
 */
import { join } from 'node:path';
import { Agent, type AgentConfig, type AgentHost, type HealthReport, type ProtocolEvent } from '../../device-sdk/agent/index.js';
import { DurableFs } from '../../device-sdk/durable/durable-fs.js';
import type { EnrolmentMethod } from '../../device-sdk/enrol/index.js';
import { FileSlotInstaller, sha256OfFile } from '../../device-sdk/install/index.js';
import { ProfileApplier } from '../../device-sdk/profile/index.js';
import type { Dice } from './dice.js';
import { PowerCut, PowerSupply } from './power-supply.js';

export interface SimTerminalOptions {
  readonly serverUrl: string;
  readonly directory: string;
  readonly enrolment: EnrolmentMethod;
  /** Whether the terminal application works on a firmware version. */
  readonly healthy: (version: string) => boolean;
  readonly factoryVersion: string;
  readonly dice: Dice;
  /** Current chance of a power cut per install (0 when the fault is off). */
  readonly powerCutRate: () => number;
  readonly powerOffMaxMs: number;
  readonly agentConfig?: Partial<AgentConfig>;
  /** The payment application's check of a new parameter profile (default: it works with every one). */
  readonly profileCheck?: (version: number, bytes: Uint8Array) => boolean;
  /** Each protocol event the agent queues (for progress and narration). */
  readonly onEvent?: (terminal: SimTerminal, event: ProtocolEvent) => void;
}

export interface TerminalCensus {
  readonly serial: string;
  readonly deviceId: string | undefined;
  /** The active (known-good) slot's version. */
  readonly version: string | undefined;
  readonly bootedVersion: string | undefined;
  readonly trialPending: boolean;
  readonly profileVersion: number | undefined;
  /** No intact slot to boot, or the booted version fails the health check with no trial pending. */
  readonly bricked: boolean;
  readonly powerCuts: number;
  readonly reboots: number;
  readonly errors: number;
}

/** The terminal application: busy never, health by booted version. */
class SimHost implements AgentHost {
  readonly #terminal: SimTerminal;
  constructor(terminal: SimTerminal) {
    this.#terminal = terminal;
  }
  canInstallNow(): boolean {
    return true;
  }
  async healthCheck(): Promise<boolean> {
    return this.#terminal.healthy(await this.#terminal.bootedVersion());
  }
  async reboot(): Promise<void> {}
  health(): HealthReport {
    return { power: { source: 'mains' }, network: { type: 'ethernet' }, printer: { paper: 'ok' }, selfTest: { keypad: 'ok', screen: 'ok' }, uptimeSeconds: 3600 };
  }
}

export class SimTerminal {
  readonly serial: string;
  readonly #options: SimTerminalOptions;
  #installer: FileSlotInstaller;
  #agent: Agent | undefined;
  #power: PowerSupply;
  powerCuts = 0;
  reboots = 0;
  errors = 0;
  lastError: string | undefined;
  /** Set when nothing can boot any more. */
  dead = false;

  private constructor(options: SimTerminalOptions, serial: string) {
    this.#options = options;
    this.serial = serial;
    this.#power = this.#newPower();
    this.#installer = new FileSlotInstaller(this.#slotsDirectory, { fs: new DurableFs({ onStep: this.#power.onStep }) });
  }

  static async provision(options: SimTerminalOptions): Promise<SimTerminal> {
    const serial = options.enrolment.kind === 'token' ? options.enrolment.serial : options.directory;
    await FileSlotInstaller.provision(join(options.directory, 'slots'), Buffer.from(`factory image of ${serial}`), options.factoryVersion);
    return new SimTerminal(options, serial);
  }

  healthy(version: string | undefined): boolean {
    return version !== undefined && this.#options.healthy(version);
  }

  async bootedVersion(): Promise<string | undefined> {
    const boot = await this.#installer.bootState();
    return boot.slots[boot.booted]?.version;
  }

  /** Cycles until `signal` aborts; power cuts and reboots happen inside. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#agent === undefined) await this.#powerOn();
    while (!signal.aborted && !this.dead) {
      try {
        const result = await this.#agent!.cycle();
        if (result.phase.kind === 'rebooting') {
          this.reboots += 1;
          await this.#powerOn();
          continue;
        }
        await sleep(Math.max(result.delayMs, 10), signal);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof PowerCut || !this.#power.on) {
          this.powerCuts += 1;
          await sleep(this.#options.dice.between(200, this.#options.powerOffMaxMs), signal);
        } else {
          // What a watchdog would do: note it, wait, start the software again.
          this.#note(error);
          await sleep(5_000, signal);
        }
        if (!signal.aborted) await this.#powerOn().catch((failure: unknown) => this.#note(failure));
      }
    }
  }

  async census(): Promise<TerminalCensus> {
    const boot = await this.#installer.bootState();
    const active = boot.slots[boot.active];
    const booted = boot.slots[boot.booted];
    const intact = active !== undefined && (await sha256OfFile(join(this.#slotsDirectory, `slot-${boot.active}.img`)).catch(() => undefined))?.sha256 === active.sha256;
    const agent = this.#agent ?? this.#newAgent(new DurableFs());
    const profileVersion = await this.#newProfiles(new DurableFs()).appliedVersion().catch(() => undefined);
    return {
      serial: this.serial,
      deviceId: (await agent.identity())?.deviceId,
      version: active?.version,
      bootedVersion: booted?.version,
      trialPending: boot.trial !== undefined,
      profileVersion,
      bricked: this.dead || !intact || (boot.trial === undefined && !this.healthy(booted?.version)),
      powerCuts: this.powerCuts,
      reboots: this.reboots,
      errors: this.errors,
    };
  }

  #note(error: unknown): void {
    this.errors += 1;
    this.lastError = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
  }

  get #slotsDirectory(): string {
    return join(this.#options.directory, 'slots');
  }

  #newPower(): PowerSupply {
    return new PowerSupply({ dice: this.#options.dice, rate: this.#options.powerCutRate });
  }

  /** Power-on: the bootloader picks a slot, a new agent starts on the persisted state. */
  async #powerOn(): Promise<void> {
    this.#power = this.#newPower();
    const fs = new DurableFs({ onStep: this.#power.onStep });
    this.#installer = new FileSlotInstaller(this.#slotsDirectory, { fs });
    try {
      await this.#installer.boot();
    } catch (error) {
      if ((error as { code?: string }).code === 'STW_DEVICE_SLOT_CORRUPT') {
        this.dead = true;
        return;
      }
      throw error;
    }
    this.#agent = this.#newAgent(fs);
  }

  /** The terminal's profile store: applied atomically, checked by the payment application, rolled back if refused. */
  #newProfiles(fs: DurableFs): ProfileApplier {
    const check = this.#options.profileCheck ?? (() => true);
    return new ProfileApplier({ checkProfile: async (version, bytes) => check(version, bytes) }, { directory: join(this.#options.directory, 'profile'), fs });
  }

  #newAgent(fs: DurableFs): Agent {
    return new Agent({
      serverUrl: this.#options.serverUrl,
      stateDirectory: this.#options.directory,
      enrolment: this.#options.enrolment,
      host: new SimHost(this),
      components: { firmware: this.#installer },
      profiles: this.#newProfiles(fs),
      config: { fs, ...this.#options.agentConfig },
      ...(this.#options.onEvent ? { onEvent: (event: ProtocolEvent) => this.#options.onEvent?.(this, event) } : {}),
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
