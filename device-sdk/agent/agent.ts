/**
 * The device agent: the terminal's loop from enrolment to reported install, as an explicit,
 * persisted state machine (after Mender `app/state.go`). Each `AgentPhase` is handled by one
 * method; the phase and the event queue are written to disk before each step that talks to the
 * network or the slots; `#startUp()` is the one switch that decides, at power-on, where the
 * persisted phase resumes.
 *
 * ```
 *   power-on ──► resuming ── resume the profile apply and every UpdateMachine: a trial boot
 *                   │         is health-checked, committed or rolled back here; outcomes
 *                   │ no identity     are queued   (waiting / backing-off before the
 *                   ├──────────► enrolling             power cut: continue to wait)
 *                   ▼               │
 *        ┌────► checking-in ◄───────┘     signed report + queued events, If-None-Match
 *        │          │   └── failure ──► backing-off ── jittered exponential delay ──┐
 *        │          │ 200 new director (verified) / 304 unchanged                    │
 *        │          ▼                                                                 │
 *        │      applying ── the named profile fetched, verified, applied; cancelled   │
 *        │          │        rollouts dropped and acknowledged; each image            │
 *        │          │        cross-checked against the image repository, then handed  │
 *        │          │        to its component's UpdateMachine with the install window │
 *        │          │   └── reboot requested ──► rebooting (the host restarts us)     │
 *        │          ▼                                                                 │
 *        └───── waiting (poll interval, jittered; sooner when events wait) ◄──────────┘
 * ```
 *
 * Events leave the queue only once the server accepted the check-in that carried them
 * (200 or 304). Every refusal of a director document or an image is queued as a `rejected`
 * event with its code, once per director version; a profile that is not applied is reported
 * as `profile-rolled-back` with its code (profile-step.ts). The clock, randomness and
 * sleeping are injected (`AgentConfig`), so tests drive the loop tick by tick.
 *
 * @example
 * const agent = new Agent({
 *   serverUrl: 'https://tms.example',
 *   stateDirectory: '/var/steward',
 *   enrolment: { kind: 'token', token, serial: 'T100-000123', hardwareModel: 't100' },
 *   host,
 *   components: { firmware: new FileSlotInstaller('/var/steward/slots') },
 *   profiles: new ProfileApplier(profileHost, { directory: '/var/steward/profile' }),
 * });
 * await agent.run(); // returns 'reboot' when the host must restart the terminal
 */
import { join } from 'node:path';
import type { DirectorImage, DirectorProfile } from '../../manifests/index.js';
import { checkImage, DirectorStore, DirectorVerifier, type ImageDecision } from '../director/index.js';
import { ArtifactDownloader, isRetryable } from '../download/index.js';
import { enrolDevice, endpointUrl, IdentityStore, type DeviceIdentity, type EnrolmentMethod } from '../enrol/index.js';
import { DeviceError, type DeviceErrorCode } from '../errors.js';
import type { Fetcher } from '../fetch/fetcher.js';
import { NodeHttpFetcher } from '../fetch/node-http-fetcher.js';
import type { SlotInstaller } from '../install/index.js';
import type { ProfileApplier } from '../profile/index.js';
import { exchangeJson, FetchApiTransport, RequestSigner, type ApiTransport } from '../signing/index.js';
import { FsMetadataStore } from '../store/index.js';
import { initialiseTrustedRoot, Updater } from '../tuf/index.js';
import { UpdateMachine, type RunResult, type StopReason, type UpdateEvent } from '../update/index.js';
import { resolveAgentConfig, type AgentConfig } from './agent-config.js';
import type { AgentHost } from './agent-host.js';
import { AgentStateStore, initialRecord, type AgentPhase, type AgentRecord } from './agent-state.js';
import { backOffMs, jitteredMs } from './back-off.js';
import { sendCheckIn, type CheckInReport } from './check-in.js';
import { descriptorFor, offerFor, sameOffer } from './image-descriptor.js';
import { fetchProfile, profilePath } from './profile-fetch.js';
import { profileResult, ProfileStep, type ProfileStepResult } from './profile-step.js';
import { fromUpdateEvent, protocolEvent, type ProtocolEvent } from './protocol-event.js';

export interface AgentOptions {
  readonly serverUrl: string;
  /** Root of everything the agent keeps: identity/, tuf/, director/, agent/, update/<component>/. */
  readonly stateDirectory: string;
  readonly enrolment: EnrolmentMethod;
  readonly host: AgentHost;
  /** Component name (the director's `component`) -> its A/B slot installer. */
  readonly components: Readonly<Record<string, SlotInstaller>>;
  /**
   * Applies the parameter profile the director names (fetched with a signed request, checked
   * against the director's target, then applied atomically with the host's check). Its
   * `appliedVersion()` is the check-in's `profileVersion`. Without it the director's profile
   * is left to the host, and `host.profileVersion()` is reported.
   */
  readonly profiles?: ProfileApplier;
  /** JSON API transport (enrolment, check-in). Default: `FetchApiTransport`. */
  readonly transport?: ApiTransport;
  /** Image repository metadata and artifact downloads. Default: `NodeHttpFetcher`. */
  readonly fetcher?: Fetcher;
  readonly config?: Partial<AgentConfig>;
  /** Called with every protocol event as it is queued. */
  readonly onEvent?: (event: ProtocolEvent) => void;
}

export interface TickResult {
  /** The phase the agent is in now (persisted). */
  readonly phase: AgentPhase;
  /** Milliseconds until the next tick has something to do. */
  readonly delayMs: number;
}

/** Everything that needs the enrolled identity. */
interface Session {
  readonly identity: DeviceIdentity;
  readonly signer: RequestSigner;
  readonly verifier: DirectorVerifier;
  readonly updater: Updater;
  readonly targetBaseUrl: string;
}

type Step = { readonly next: AgentPhase };

const MAX_REMEMBERED = 200;

export class Agent {
  readonly #options: AgentOptions;
  readonly #config: AgentConfig;
  readonly #transport: ApiTransport;
  readonly #fetcher: Fetcher;
  readonly #identityStore: IdentityStore;
  readonly #tufStore: FsMetadataStore;
  readonly #directorStore: DirectorStore;
  readonly #stateStore: AgentStateStore;
  readonly #machines = new Map<string, UpdateMachine>();
  readonly #profileStep: ProfileStep | undefined;
  /** Events the machines emitted during the current call, by component. */
  readonly #emitted: { component: string; event: UpdateEvent }[] = [];
  /** `<director version> <target>` already found installed (no need to check again). */
  readonly #installedChecked = new Set<string>();
  #record: AgentRecord | undefined;
  /** Where `resuming` continues when the power was cut while waiting. */
  #resumeTo: AgentPhase | undefined;
  #session: Session | undefined;
  #busy = false;

  constructor(options: AgentOptions) {
    this.#options = options;
    this.#config = resolveAgentConfig(options.config);
    const { fs } = this.#config;
    const dir = options.stateDirectory;
    this.#transport = options.transport ?? new FetchApiTransport();
    this.#fetcher = options.fetcher ?? new NodeHttpFetcher();
    this.#identityStore = new IdentityStore(join(dir, 'identity'), { fs });
    this.#tufStore = new FsMetadataStore(join(dir, 'tuf'), { fs });
    this.#directorStore = new DirectorStore(join(dir, 'director'), { fs });
    this.#stateStore = new AgentStateStore(join(dir, 'agent'), fs);
    this.#profileStep = options.profiles && new ProfileStep(options.profiles);
    const downloader = new ArtifactDownloader(this.#fetcher, { fs });
    for (const [component, installer] of Object.entries(options.components)) {
      const machine = new UpdateMachine({
        installer,
        downloader,
        host: options.host,
        config: { ...this.#config.update, stateDirectory: join(dir, 'update', encodeURIComponent(component)), now: this.#config.now, fs },
        onEvent: (event) => this.#emitted.push({ component, event }),
      });
      this.#machines.set(component, machine);
    }
  }

  /** Run until a reboot is needed ('reboot') or `signal` aborts ('aborted'). */
  async run(signal?: AbortSignal): Promise<'reboot' | 'aborted'> {
    while (signal?.aborted !== true) {
      const result = await this.tick();
      if (result.phase.kind === 'rebooting') return 'reboot';
      if (result.delayMs > 0) await this.#config.sleep(result.delayMs, signal);
    }
    return 'aborted';
  }

  /** Tick until the agent has to wait (or reboot): one check-in cycle. */
  async cycle(): Promise<TickResult> {
    for (let ticks = 0; ; ticks++) {
      const result = await this.tick();
      if (result.phase.kind === 'rebooting' || result.delayMs > 0 || ticks > 16) return result;
    }
  }

  /** Do what the current phase calls for, persist the next phase, and say how long to wait. */
  async tick(): Promise<TickResult> {
    if (this.#busy) throw new DeviceError('STW_DEVICE_STATE_INVALID', 'the agent is already running a step');
    this.#busy = true;
    try {
      if (this.#record === undefined) await this.#startUp();
      let step: Step;
      try {
        step = await this.#handle(this.#current().phase);
      } catch (error) {
        step = this.#failed(error);
      }
      await this.#save({ phase: step.next });
      return { phase: step.next, delayMs: this.#delayOf(step.next) };
    } finally {
      this.#busy = false;
    }
  }

  /** The persisted agent state (phase, queue, offers). */
  async state(): Promise<AgentRecord> {
    return this.#record ?? (await this.#stateStore.load()) ?? initialRecord(this.#config.defaultPollIntervalSeconds);
  }

  /** The enrolled identity, if any. */
  identity(): Promise<DeviceIdentity | undefined> {
    return this.#identityStore.load();
  }

  /** The update machine of `component` (for diagnostics and tests). */
  machine(component: string): UpdateMachine | undefined {
    return this.#machines.get(component);
  }

  /** The resume switch: where each persisted phase continues after a power-on. */
  async #startUp(): Promise<void> {
    const stored = (await this.#stateStore.load()) ?? initialRecord(this.#config.defaultPollIntervalSeconds);
    switch (stored.phase.kind) {
      case 'waiting':
      case 'backing-off':
        // Keep the delay: a terminal that keeps restarting must not hammer the server.
        this.#resumeTo = stored.phase;
        break;
      case 'rebooting': // the reboot happened: the machines judge the trial boot
      case 'resuming':
      case 'enrolling':
      case 'checking-in':
      case 'applying': // every step is safe to redo from the start
        this.#resumeTo = undefined;
        break;
      default: {
        const unknown: never = stored.phase;
        throw new DeviceError('STW_DEVICE_STATE_INVALID', `unknown agent phase ${JSON.stringify(unknown)}`);
      }
    }
    this.#record = { ...stored, phase: { kind: 'resuming' } };
  }

  async #handle(phase: AgentPhase): Promise<Step> {
    switch (phase.kind) {
      case 'resuming':
        return this.#resuming();
      case 'enrolling':
        return this.#enrolling();
      case 'checking-in':
        return this.#checkingIn();
      case 'applying':
        return this.#applying();
      case 'waiting':
      case 'backing-off':
        return { next: this.#config.now().getTime() >= Date.parse(phase.until) ? { kind: 'checking-in' } : phase };
      case 'rebooting':
        return { next: phase };
      default: {
        const unknown: never = phase;
        throw new DeviceError('STW_DEVICE_STATE_INVALID', `unknown agent phase ${JSON.stringify(unknown)}`);
      }
    }
  }

  async #resuming(): Promise<Step> {
    if (this.#options.profiles) await this.#resumeProfile(this.#options.profiles);
    for (const [component, machine] of this.#machines) {
      if ((await this.#absorb(component, await machine.resume())) === 'reboot') return { next: { kind: 'rebooting' } };
    }
    const after = this.#resumeTo;
    this.#resumeTo = undefined;
    if (after !== undefined) return { next: after };
    return { next: (await this.#identityStore.load()) ? { kind: 'checking-in' } : { kind: 'enrolling' } };
  }

  async #enrolling(): Promise<Step> {
    await enrolDevice({ serverUrl: this.#options.serverUrl, method: this.#options.enrolment, store: this.#identityStore, transport: this.#transport });
    await this.#openSession();
    return { next: { kind: 'checking-in' } };
  }

  async #checkingIn(): Promise<Step> {
    const session = await this.#openSession();
    if (session === undefined) return { next: { kind: 'enrolling' } };
    const current = await session.verifier.current();
    const sent = this.#current().queue.slice(0, this.#config.maxEventsPerCheckIn);
    const report = await this.#report(sent);
    const url = endpointUrl(session.identity, session.identity.endpoints.checkIn);
    const answer = await sendCheckIn(this.#transport, session.signer, url, report, current === undefined ? undefined : this.#current().etag);
    // The server has recorded the report: its events leave the queue.
    const sentIds = new Set(sent.map((event) => event.id));
    await this.#save({ queue: this.#current().queue.filter((event) => !sentIds.has(event.id)), failures: 0 });
    if (answer.kind === 'unchanged') return current === undefined ? { next: this.#waitPoll() } : { next: { kind: 'applying' } };
    try {
      const accepted = await session.verifier.verify(answer.director);
      await this.#save({ etag: answer.etag, pollIntervalSeconds: accepted.director.instructions.pollIntervalSeconds });
      return { next: { kind: 'applying' } };
    } catch (error) {
      if (!(error instanceof DeviceError) || error.code !== 'STW_DEVICE_DIRECTOR_INVALID') throw error;
      const reason = String(error.details?.reason ?? '');
      await this.#reportOnce(`director ${answer.etag ?? ''} ${reason}`, { kind: 'rejected', code: error.code });
      // Act on nothing new; the accepted document (if still current) stays in force.
      return { next: this.#waitAfterApplying(false) };
    }
  }

  async #applying(): Promise<Step> {
    const session = await this.#openSession();
    const accepted = await session?.verifier.current();
    if (session === undefined || accepted === undefined) return { next: this.#waitPoll() };
    const { director, version } = accepted;
    const cancelled = new Set(director.instructions.cancelledRollouts ?? []);
    const stops: StopReason[] = [];
    // The profile first (small, and a merchant correction should not wait for a firmware download);
    // a network failure is thrown after the images had their turn, so it does not hold them up.
    let profileTrouble: DeviceError | undefined;
    try {
      await this.#applyProfile(session, director.profile, version, stops);
    } catch (error) {
      if (!(error instanceof DeviceError) || !isRetryable(error)) throw error;
      profileTrouble = error;
    }
    for (const rolloutId of cancelled) await this.#acknowledgeCancel(rolloutId, stops);
    const named = new Set<string>();
    let refreshed = false;
    for (const image of director.images) {
      if (named.has(image.component)) continue; // one update per component at a time
      named.add(image.component);
      if (image.rolloutId !== undefined && cancelled.has(image.rolloutId)) continue;
      const machine = this.#machines.get(image.component);
      if (machine === undefined) {
        await this.#reportOnce(`${version} ${image.file.path} component`, { kind: 'rejected', ...this.#about(image), code: 'STW_DEVICE_UNKNOWN_COMPONENT' });
        continue;
      }
      if ((await machine.state()).kind !== 'idle') {
        // An update is under way: the same one continues (its window refreshed), another waits its turn.
        const offer = this.#current().offers[image.component];
        const run = sameOffer(offer, image) ? await machine.begin(descriptorFor(image, session.targetBaseUrl, this.#consistent(session)), director.instructions.installWindow) : await machine.resume();
        stops.push(await this.#absorb(image.component, run));
        if (stops.includes('reboot')) return { next: { kind: 'rebooting' } };
        continue;
      }
      const checkedKey = `${version} ${image.file.path}`;
      if (this.#installedChecked.has(checkedKey) || this.#current().reported.some((key) => key.startsWith(`${checkedKey} `)) || this.#heldOff(image.file.path)) continue;
      let decision: ImageDecision;
      try {
        // TUF 5.1 - 5.6: the image repository brought up to date once per pass.
        if (!refreshed) await session.updater.refresh();
        refreshed = true;
        decision = await checkImage(image, session.updater, { hardwareModel: session.identity.hardwareModel, installedVersion: await machine.installedVersion() });
      } catch (error) {
        // Network trouble: back off and try again. A repository that fails verification: refuse.
        if (!(error instanceof DeviceError) || isRetryable(error)) throw error;
        decision = { kind: 'reject', image, code: error.code, reason: 'image-repository', details: {} };
      }
      if (decision.kind === 'reject') {
        await this.#reportOnce(`${checkedKey} ${decision.code}`, { kind: 'rejected', ...this.#about(image), code: decision.code });
        continue;
      }
      if (decision.kind === 'installed') {
        this.#installedChecked.add(checkedKey);
        continue;
      }
      if (!sameOffer(this.#current().offers[image.component], image)) {
        // Persisted before the machine starts, so a power cut in between neither loses nor repeats the offer.
        const now = this.#config.now().toISOString();
        const deviceId = session.identity.deviceId;
        await this.#save({ offers: { ...this.#current().offers, [image.component]: offerFor(image) } });
        await this.#queue([protocolEvent(deviceId, { kind: 'offered', at: now, ...this.#about(image) }), protocolEvent(deviceId, { kind: 'download-started', at: now, ...this.#about(image) })]);
      }
      const run = await machine.begin(descriptorFor(image, session.targetBaseUrl, this.#consistent(session)), director.instructions.installWindow);
      stops.push(await this.#absorb(image.component, run));
      if (stops.includes('reboot')) return { next: { kind: 'rebooting' } };
    }
    // Updates under way that the director no longer names are finished, not abandoned.
    for (const [component, machine] of this.#machines) {
      if (named.has(component) || (await machine.state()).kind === 'idle') continue;
      stops.push(await this.#absorb(component, await machine.resume()));
      if (stops.includes('reboot')) return { next: { kind: 'rebooting' } };
    }
    if (profileTrouble !== undefined) throw profileTrouble; // back off, then fetch again
    return { next: this.#waitAfterApplying(stops.includes('try-later')) };
  }

  /** The profile step for the director's profile target, unless it was refused at this director version or failed lately. */
  async #applyProfile(session: Session, profile: DirectorProfile | undefined, directorVersion: number, stops: StopReason[]): Promise<void> {
    if (this.#profileStep === undefined || profile === undefined) return;
    const path = profile.file.path;
    if (this.#current().reported.some((key) => key.startsWith(`${directorVersion} ${path} `)) || this.#heldOff(path)) return;
    const url = endpointUrl(session.identity, profilePath(session.identity.deviceId, profile.profileVersion));
    const result = await this.#profileStep.run(
      profile,
      (target) => fetchProfile(this.#transport, session.signer, url, target),
      // Persisted before the applier writes anything, so a power cut cannot lose the outcome.
      () => this.#save({ profileApply: { version: profile.profileVersion, targetPath: path } }),
    );
    if (result.kind === 'deferred') stops.push('try-later');
    await this.#absorbProfile(result, path, directorVersion);
  }

  /**
   * At power-on: finish an apply a power cut interrupted (checked again, or rolled back), or
   * report one that had finished on disk before its outcome was queued.
   */
  async #resumeProfile(profiles: ProfileApplier): Promise<void> {
    const pending = this.#current().profileApply;
    const resumed = await profiles.resume();
    let result: ProfileStepResult = { kind: 'nothing' };
    if (resumed !== undefined) result = profileResult(resumed);
    else if (pending !== undefined && (await profiles.appliedVersion()) === pending.version) result = { kind: 'applied', version: pending.version };
    const version = result.kind === 'nothing' ? undefined : result.version;
    const targetPath = pending !== undefined && pending.version === version ? pending.targetPath : (await this.#namedProfile(version))?.file.path;
    await this.#absorbProfile(result, targetPath);
  }

  /**
   * Report a profile outcome and remember it: a refusal once per director version (the same
   * bytes would be refused again), a failure held off like a failed image target. The record
   * changes are written with the event (one write), and end the apply under way.
   */
  async #absorbProfile(result: ProfileStepResult, targetPath: string | undefined, directorVersion?: number): Promise<void> {
    const record = this.#current();
    if (result.kind === 'nothing' || result.kind === 'deferred') {
      if (record.profileApply !== undefined) await this.#save({ profileApply: undefined });
      return;
    }
    const fields = { at: this.#config.now().toISOString(), version: String(result.version), ...(targetPath === undefined ? {} : { targetPath }) };
    const failedTargets = { ...record.failedTargets };
    const deviceId = await this.#deviceId();
    switch (result.kind) {
      case 'applied':
        if (targetPath !== undefined) delete failedTargets[targetPath];
        this.#record = { ...record, failedTargets, profileApply: undefined };
        return this.#queue([protocolEvent(deviceId, { kind: 'profile-applied', ...fields })]);
      case 'failed':
        if (targetPath !== undefined) failedTargets[targetPath] = { count: (failedTargets[targetPath]?.count ?? 0) + 1, at: fields.at };
        this.#record = { ...record, failedTargets, profileApply: undefined };
        return this.#queue([protocolEvent(deviceId, { kind: 'profile-rolled-back', ...fields, code: result.code })]);
      case 'refused':
        // 'profile-rolled-back', not 'rejected': the server's "profile not applied" flag, not "update failed".
        this.#record = { ...record, profileApply: undefined };
        if (targetPath === undefined || directorVersion === undefined) return this.#queue([protocolEvent(deviceId, { kind: 'profile-rolled-back', ...fields, code: result.code })]);
        await this.#reportOnce(`${directorVersion} ${targetPath} ${result.code}`, { kind: 'profile-rolled-back', ...fields, code: result.code });
        return this.#save({});
      default: {
        const unknown: never = result;
        throw new DeviceError('STW_DEVICE_STATE_INVALID', `unknown profile result ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** The director's profile target when the accepted document names `version` (to label a resumed outcome). */
  async #namedProfile(version: number | undefined): Promise<DirectorProfile | undefined> {
    if (version === undefined) return undefined;
    const profile = (await (await this.#openSession())?.verifier.current())?.director.profile;
    return profile?.profileVersion === version ? profile : undefined;
  }

  async #deviceId(): Promise<string> {
    return this.#session?.identity.deviceId ?? (await this.#identityStore.load())?.deviceId ?? '';
  }

  /** Drop the offer of a cancelled rollout if nothing reached the slots yet, and acknowledge it once. */
  async #acknowledgeCancel(rolloutId: string, stops: StopReason[]): Promise<void> {
    if (this.#current().acknowledgedCancels.includes(rolloutId)) return;
    const entry = Object.entries(this.#current().offers).find(([, offer]) => offer.rolloutId === rolloutId);
    const machine = entry && this.#machines.get(entry[0]);
    if (entry && machine) {
      const kind = (await machine.state()).kind;
      // The machine's `cancelled` outcome becomes the acknowledgement (see #absorb).
      if (kind === 'downloading' || kind === 'verifying') return void stops.push(await this.#absorb(entry[0], await machine.cancel()));
      if (kind !== 'idle') return; // already in the slots: it finishes, then the acknowledgement follows
    }
    const deviceId = (await this.#openSession())?.identity.deviceId ?? '';
    await this.#queue([protocolEvent(deviceId, { kind: 'cancel-acknowledged', at: this.#config.now().toISOString(), rolloutId })]);
    await this.#save({ acknowledgedCancels: remember(this.#current().acknowledgedCancels, rolloutId) });
  }

  /**
   * Take in what an update machine call produced: queue its events (persisted first), then,
   * when the update has ended, record the outcome and acknowledge it to the machine.
   */
  async #absorb(component: string, run: RunResult): Promise<StopReason> {
    const deviceId = await this.#deviceId();
    const offer = this.#current().offers[component];
    const emitted = this.#emitted.splice(0).filter((entry) => entry.component === component).map((entry) => entry.event);
    // The outcome may have been emitted before a power cut and not queued: its derived id makes it one event.
    const events = run.outcome === undefined ? emitted : [...emitted, run.outcome];
    await this.#queue(events.map((event) => fromUpdateEvent(deviceId, event, offer)).filter((event) => event !== undefined));
    const outcome = run.outcome;
    if (outcome === undefined) return run.stoppedBecause;
    const record = this.#current();
    const offers = { ...record.offers };
    delete offers[component];
    const failedTargets = { ...record.failedTargets };
    let { installedTargets, acknowledgedCancels } = record;
    switch (outcome.type) {
      case 'committed':
        installedTargets = { ...installedTargets, [component]: outcome.targetName };
        delete failedTargets[outcome.targetName];
        break;
      case 'cancelled':
        if (offer?.rolloutId !== undefined) acknowledgedCancels = remember(acknowledgedCancels, offer.rolloutId);
        break;
      case 'rolled-back':
      case 'install-failed':
      case 'rejected':
        failedTargets[outcome.targetName] = { count: (failedTargets[outcome.targetName]?.count ?? 0) + 1, at: this.#config.now().toISOString() };
        break;
      default: {
        const unknown: never = outcome;
        throw new DeviceError('STW_DEVICE_STATE_INVALID', `unknown outcome ${JSON.stringify(unknown)}`);
      }
    }
    await this.#save({ offers, failedTargets, installedTargets, acknowledgedCancels });
    await this.#machines.get(component)?.acknowledge();
    return run.stoppedBecause;
  }

  /** A target that failed here waits `failedTargetHoldOffSeconds` (doubling per failure) before it is tried again. */
  #heldOff(targetPath: string): boolean {
    const failed = this.#current().failedTargets[targetPath];
    if (failed === undefined) return false;
    const holdOffMs = this.#config.failedTargetHoldOffSeconds * 1000 * 2 ** Math.min(failed.count - 1, 10);
    return this.#config.now().getTime() < Date.parse(failed.at) + holdOffMs;
  }

  async #report(events: readonly ProtocolEvent[]): Promise<CheckInReport> {
    const installed = [];
    for (const [component, machine] of this.#machines) {
      const version = await machine.installedVersion();
      if (version === undefined) continue;
      const targetPath = this.#current().installedTargets[component];
      installed.push({ component, version, ...(targetPath === undefined ? {} : { targetPath }) });
    }
    const profileVersion = this.#options.profiles ? await this.#options.profiles.appliedVersion() : await this.#options.host.profileVersion?.();
    return { installed, ...(profileVersion === undefined ? {} : { profileVersion }), health: await this.#options.host.health(), events };
  }

  /** Queue a refusal unless the same one (by `key`) was queued already. */
  async #reportOnce(key: string, fields: { kind: 'rejected' | 'profile-rolled-back'; code: DeviceErrorCode; targetPath?: string; version?: string; rolloutId?: string | undefined }): Promise<void> {
    if (this.#current().reported.includes(key)) return;
    const deviceId = this.#session?.identity.deviceId ?? '';
    await this.#queue([protocolEvent(deviceId, { ...fields, at: this.#config.now().toISOString() })]);
    await this.#save({ reported: remember(this.#current().reported, key) });
  }

  async #queue(events: readonly ProtocolEvent[]): Promise<void> {
    if (events.length === 0) return;
    const queue = [...this.#current().queue];
    const known = new Set(queue.map((event) => event.id));
    for (const event of events) {
      if (known.has(event.id)) continue;
      known.add(event.id);
      queue.push(event);
      this.#options.onEvent?.(event);
    }
    await this.#save({ queue: queue.slice(Math.max(0, queue.length - this.#config.maxQueuedEvents)) });
  }

  #about(image: DirectorImage): { targetPath: string; version: string; rolloutId: string | undefined } {
    return { targetPath: image.file.path, version: image.version, rolloutId: image.rolloutId };
  }

  #consistent(session: Session): boolean {
    return session.identity.imageRepositoryRoot.metadata.signed.usesConsistentSnapshots;
  }

  async #openSession(): Promise<Session | undefined> {
    if (this.#session) return this.#session;
    const identity = await this.#identityStore.load();
    if (identity === undefined) return undefined;
    if ((await this.#tufStore.read('root')) === undefined) {
      await initialiseTrustedRoot(this.#tufStore, this.#config.pinnedImageRepositoryRoot ?? identity.imageRepositoryRoot.bytes);
    }
    const now = this.#config.now;
    const targetBaseUrl = endpointUrl(identity, identity.endpoints.targetBaseUrl);
    this.#session = {
      identity,
      signer: new RequestSigner({ deviceId: identity.deviceId, key: identity.key, now }),
      verifier: new DirectorVerifier({
        root: identity.directorRoot.metadata,
        deviceId: identity.deviceId,
        store: this.#directorStore,
        now,
        fetchRoot: (version) => this.#fetchDirectorRoot(identity, version),
      }),
      updater: new Updater({ metadataUrl: endpointUrl(identity, identity.endpoints.metadataBaseUrl), targetUrl: targetBaseUrl, store: this.#tufStore, fetcher: this.#fetcher, config: { clock: now } }),
      targetBaseUrl,
    };
    return this.#session;
  }

  /** `<version>.root.json` of the director, for a root rotation; undefined when there is none. */
  async #fetchDirectorRoot(identity: DeviceIdentity, version: number): Promise<Uint8Array | undefined> {
    const url = endpointUrl(identity, `${this.#config.directorMetadataPath.replace(/\/+$/, '')}/${version}.root.json`);
    const response = await exchangeJson(this.#transport, { method: 'GET', url, accept: [200, 404] });
    return response.status === 404 ? undefined : response.body;
  }

  #failed(error: unknown): Step {
    const failures = this.#current().failures + 1;
    const code: DeviceErrorCode = error instanceof DeviceError ? error.code : 'STW_DEVICE_STATE_INVALID';
    const until = new Date(this.#config.now().getTime() + backOffMs(failures, { baseSeconds: this.#config.backOffBaseSeconds, maxSeconds: this.#config.backOffMaxSeconds }, this.#config.random));
    this.#record = { ...this.#current(), failures };
    return { next: { kind: 'backing-off', until: until.toISOString(), failures, code } };
  }

  #waitPoll(): AgentPhase {
    return this.#waitFor(jitteredMs(this.#current().pollIntervalSeconds, this.#config.pollJitterRatio, this.#config.random));
  }

  #waitAfterApplying(tryLater: boolean): AgentPhase {
    if (this.#current().queue.length > 0) return this.#waitFor(this.#config.reportDelaySeconds * 1000);
    if (tryLater) return this.#waitFor(Math.min(this.#current().pollIntervalSeconds, this.#config.retryUpdateSeconds) * 1000);
    return this.#waitPoll();
  }

  #waitFor(ms: number): AgentPhase {
    return { kind: 'waiting', until: new Date(this.#config.now().getTime() + ms).toISOString() };
  }

  #delayOf(phase: AgentPhase): number {
    if (phase.kind !== 'waiting' && phase.kind !== 'backing-off') return 0;
    return Math.max(0, Date.parse(phase.until) - this.#config.now().getTime());
  }

  #current(): AgentRecord {
    if (this.#record === undefined) throw new DeviceError('STW_DEVICE_STATE_INVALID', 'the agent has not started');
    return this.#record;
  }

  async #save(changes: Partial<AgentRecord>): Promise<void> {
    this.#record = { ...this.#current(), ...changes };
    await this.#stateStore.save(this.#record);
  }
}

function remember(list: readonly string[], item: string): string[] {
  return [...list.filter((existing) => existing !== item), item].slice(-MAX_REMEMBERED);
}
