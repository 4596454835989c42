/**
 * The state machine for one A/B update (after Mender `app/state.go` and RAUC's mark-good).
 *
 * ```
 *            begin()
 *   idle ───────────────► downloading ◄──────────────┐  network trouble: stop, resume later
 *    ▲                    │   │   │  └───────────────┘
 *    │                    │   │   └── refused / too many runs ────────────► failed [rejected]
 *    │                    │   └────── cancel() ───────────────────────────► failed [cancelled]
 *    │                    ▼
 *    │                verifying ── outside window / host busy: deferred, stop
 *    │                    │   └────── artifact gone or damaged ──► downloading
 *    │                    ▼
 *    │                installing ─── slot write fails ────────────────────► failed [install-failed]
 *    │                    │  write inactive slot; mark it for trial (one atomic record replace)
 *    │                    ▼
 *    │              pending-reboot ── host busy: deferred, stop; else reboot()
 *    │                    │  bootloader boots the trial slot (uses one attempt)
 *    │                    ▼
 *    │                trial-boot ──── health check fails / times out ──┐
 *    │                    │   └────── bootloader fell back ────────────┤ (boot limit, corrupt slot)
 *    │                    │ healthy: mark good                          ▼
 *    │                    ▼                                       rolling-back ── rollback(); reboot()
 *    │                committed                                         │ running the previous slot again
 *    │                    │                                             ▼
 *    └─ acknowledge() ────┴──────────────────────────────────── failed [rolled-back]
 * ```
 *
 * Every transition is written to disk (DurableFs) before the next handler runs, so each risky
 * step starts from a persisted state; `resume()` at start-up is the one switch that picks the
 * handler for whatever state was last persisted, and each handler first reads the bootloader's
 * state so that a step cut short by a power loss is neither skipped nor done twice.
 *
 * @example
 * const machine = new UpdateMachine({ installer, downloader, host, config: { stateDirectory: '/var/steward/update' } });
 * await machine.resume();                       // at start-up, before anything else
 * const run = await machine.begin(descriptor, director.instructions.installWindow);
 * if (run.outcome) { await report(run.outcome); await machine.acknowledge(); }
 */
import { DeviceError } from '../errors.js';
import type { InstallWindow } from '../../manifests/index.js';
import type { ArtifactDownloader } from '../download/index.js';
import type { SlotInstaller } from '../install/index.js';
import type { DeviceState } from './device-state.js';
import { handleDownloading, handleVerifying } from './download-steps.js';
import { handleInstalling, handlePendingReboot } from './install-steps.js';
import { UpdateStateStore } from './state-store.js';
import { eventBase, removeArtifact, type StepContext, type StopReason, type Transition } from './step-context.js';
import { handleRollingBack, handleTrialBoot } from './trial-steps.js';
import { sameUpdate, type UpdateDescriptor } from './update-descriptor.js';
import type { OutcomeEvent, UpdateEvent } from './update-event.js';
import { defaultUpdateConfig, type UpdateConfig, type UpdateHost } from './update-host.js';

/** Transitions one `resume()` may take before it must have stopped (a loop would be a bug). */
const MAX_TRANSITIONS = 32;

export interface UpdateMachineOptions {
  readonly installer: SlotInstaller;
  readonly downloader: ArtifactDownloader;
  readonly host: UpdateHost;
  readonly config: Partial<UpdateConfig> & Pick<UpdateConfig, 'stateDirectory'>;
  /** Called with every event as it happens (the agent queues them for its next report). */
  readonly onEvent?: (event: UpdateEvent) => void;
}

export interface RunResult {
  readonly state: DeviceState;
  readonly stoppedBecause: StopReason;
  /** Events of this run, in order. */
  readonly events: readonly UpdateEvent[];
  /** The outcome waiting to be reported and acknowledged, if the update has ended. */
  readonly outcome: OutcomeEvent | undefined;
}

export class UpdateMachine {
  readonly #store: UpdateStateStore;
  readonly #options: UpdateMachineOptions;
  readonly #config: UpdateConfig;

  constructor(options: UpdateMachineOptions) {
    this.#options = options;
    this.#config = { ...defaultUpdateConfig, ...options.config };
    this.#store = new UpdateStateStore(this.#config.stateDirectory, this.#config.fs);
  }

  state(): Promise<DeviceState> {
    return this.#store.load();
  }

  /** The version of the known-good (active) slot: what the terminal reports as installed. */
  async installedVersion(): Promise<string | undefined> {
    const boot = await this.#options.installer.bootState();
    return boot.slots[boot.active]?.version;
  }

  /**
   * Take on a verified update and drive it as far as it can go now. Offering the update already
   * under way continues it (and refreshes its install window); any other update is refused
   * with STW_DEVICE_STATE_INVALID until the current one has ended and been acknowledged.
   */
  async begin(update: UpdateDescriptor, window?: InstallWindow): Promise<RunResult> {
    const state = await this.#store.load();
    if (state.kind === 'idle') {
      await this.#store.save({ kind: 'downloading', update, window, runs: 0 });
    } else if (!sameUpdate(state.update, update)) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `update ${state.update.targetName} is ${state.kind}`, {
        details: { kind: state.kind, current: state.update.targetName, offered: update.targetName },
      });
    } else if (state.kind === 'downloading' || state.kind === 'verifying') {
      await this.#store.save({ ...state, window });
    }
    return this.resume();
  }

  /** The start-up path: continue whatever update the persisted state says is under way. */
  async resume(): Promise<RunResult> {
    const events: UpdateEvent[] = [];
    const context = this.#context(events);
    for (let step = 0; step < MAX_TRANSITIONS; step++) {
      const state = await this.#store.load();
      const transition = await this.#handle(context, state);
      if (transition.next !== undefined) await this.#store.save(transition.next);
      if (transition.stop !== undefined) {
        const settled = transition.next ?? state;
        const outcome = settled.kind === 'committed' || settled.kind === 'failed' ? settled.outcome : undefined;
        return { state: settled, stoppedBecause: transition.stop, events, outcome };
      }
    }
    throw new DeviceError('STW_DEVICE_STATE_INVALID', `no stable state after ${MAX_TRANSITIONS} transitions`);
  }

  /** Give up an update that has not reached the slots yet (downloading or verifying). */
  async cancel(): Promise<RunResult> {
    const state = await this.#store.load();
    if (state.kind !== 'downloading' && state.kind !== 'verifying') {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `cannot cancel in state ${state.kind}`, { details: { kind: state.kind } });
    }
    const events: UpdateEvent[] = [];
    const context = this.#context(events);
    await removeArtifact(context, state.update);
    const outcome = { ...eventBase(context, state.update), type: 'cancelled' as const };
    context.emit(outcome);
    await this.#store.save({ kind: 'failed', update: state.update, window: state.window, outcome });
    return this.resume().then((run) => ({ ...run, events: [...events, ...run.events] }));
  }

  /** The outcome has been reported: forget the update and return to idle. */
  async acknowledge(): Promise<void> {
    const state = await this.#store.load();
    if (state.kind === 'idle') return;
    if (state.kind !== 'committed' && state.kind !== 'failed') {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `update still ${state.kind}`, { details: { kind: state.kind } });
    }
    await this.#store.save({ kind: 'idle' });
  }

  /** The resume switch: one handler per state. */
  async #handle(context: StepContext, state: DeviceState): Promise<Transition> {
    switch (state.kind) {
      case 'idle':
        return { stop: 'nothing-to-do' };
      case 'downloading':
        return handleDownloading(context, state);
      case 'verifying':
        return handleVerifying(context, state);
      case 'installing':
        return handleInstalling(context, state);
      case 'pending-reboot':
        return handlePendingReboot(context, state);
      case 'trial-boot':
        return handleTrialBoot(context, state);
      case 'rolling-back':
        return handleRollingBack(context, state);
      case 'committed':
      case 'failed':
        return { stop: 'report-outcome' };
      default: {
        const unknown: never = state;
        throw new DeviceError('STW_DEVICE_STATE_INVALID', `unknown state ${JSON.stringify(unknown)}`);
      }
    }
  }

  #context(events: UpdateEvent[]): StepContext {
    const { installer, downloader, host, onEvent } = this.#options;
    return {
      installer,
      downloader,
      host,
      config: this.#config,
      emit: (event) => {
        events.push(event);
        onEvent?.(event);
      },
    };
  }
}
