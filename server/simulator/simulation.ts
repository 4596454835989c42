/**
 * A fleet simulation from start to report (docs/simulator.md):
 *
 * 1. the server: an existing development server, or (`spawn`) a new data directory set up
 *    with `steward init --dev` and `steward serve` run as a child process;
 * 2. the target (simulation-setup.ts): a new firmware release and a rollout to the fleet;
 * 3. a fault proxy in front of the server, and N terminals (real SDK agents) behind it,
 *    powered on at `startRate` per second;
 * 4. for `durationMs`: faults as configured (dropped, slow and truncated connections in the
 *    proxy; power cuts during installs in the terminals; server restarts every
 *    `serverRestartEveryMs` when spawned), a progress line every `progressEveryMs`, the
 *    spawned server's RSS sampled;
 * 5. faults stop; up to `settleMs` more for the fleet to converge; the terminals stop and are
 *    counted; the report says how many converged, none bricked, and which 5xx no fault explains.
 *
 * @example
 * const report = await runSimulation({ config, server: { kind: 'spawn' }, workDir, progress: (line) => console.error(line) });
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runStewardCommand } from '../cli/commands/dev-run-command.js';
import { Dice } from './dice.js';
import { FaultProxy } from './fault-proxy.js';
import { ServerProcess } from './server-process.js';
import { SimFleet, type FleetStatus } from './sim-fleet.js';
import type { SimulationConfig } from './simulation-config.js';
import { formatDuration, progressLine } from './simulation-progress.js';
import { summarise, type RssEpoch, type SimulationReport } from './simulation-report.js';
import { correctProfile, FACTORY_VERSION, prepareTarget } from './simulation-setup.js';

export type SimulatedServer =
  /** A running development server (`npm start`) and its data directory. */
  | { readonly kind: 'existing'; readonly url: string; readonly dataDir: string }
  /** A new server in a child process over `dataDir` (default: under workDir). */
  | { readonly kind: 'spawn'; readonly dataDir?: string; readonly databaseUrl?: string };

export interface SimulationOptions {
  readonly config: SimulationConfig;
  readonly server: SimulatedServer;
  /** Terminal state directories and scratch files. */
  readonly workDir: string;
  /** Progress lines (about every `progressEveryMs`). */
  readonly progress?: (line: string) => void;
  /** Notes (set-up steps, restarts). */
  readonly log?: (line: string) => void;
  /** Ends the fault phase early (the report is still made). */
  readonly signal?: AbortSignal;
}

const WARM_UP_MS = 60_000;
const SAMPLE_EVERY_MS = 5_000;

export async function runSimulation(options: SimulationOptions): Promise<SimulationReport> {
  const { config, workDir } = options;
  const log = options.log ?? (() => {});
  const startedAt = new Date();
  await mkdir(workDir, { recursive: true });
  // A promise some SDK code left unobserved would end the process: keep running, and report it.
  const unhandled: string[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
  process.on('unhandledRejection', onUnhandled);

  const spawned = options.server.kind === 'spawn' ? await spawnServer(options.server, config, workDir, log) : undefined;
  const serverUrl = spawned?.server.url ?? (options.server.kind === 'existing' ? options.server.url : '');
  const dataDir = spawned?.dataDir ?? (options.server.kind === 'existing' ? options.server.dataDir : '');
  const dice = new Dice(config.seed);
  let proxy: FaultProxy | undefined;
  let fleet: SimFleet | undefined;
  try {
    const target = await prepareTarget({ serverUrl, dataDir, terminals: config.terminals, hardwareModel: config.hardwareModel, imageBytes: config.imageBytes, workDir: join(workDir, 'images') });
    log(`merchant ${target.merchantId} with profile v${target.profileVersion}; firmware ${target.firmwareVersion} (${target.targetPath}); rollout ${target.rolloutId}`);
    proxy = await FaultProxy.start({ upstream: serverUrl, faults: config.faults, rates: config.rates, dice });
    let powerCutRate = config.faults.has('power-cut') ? config.rates.powerCut : 0;
    fleet = await SimFleet.provision({
      size: config.terminals,
      directory: join(workDir, 'terminals'),
      serverUrl: proxy.url,
      enrolment: (index) => ({ kind: 'token', token: target.enrolmentToken, serial: `SIM-${target.runId}-${String(index).padStart(5, '0')}`, hardwareModel: config.hardwareModel }),
      healthy: () => true,
      factoryVersion: FACTORY_VERSION,
      dice,
      powerCutRate: () => powerCutRate,
      powerOffMaxMs: config.rates.powerOffMaxMs,
    });
    log(`${config.terminals} terminals provisioned; powering on ${config.startRate} per second`);

    const fleetStart = Date.now();
    const rss = new RssSampler(spawned?.server);
    rss.sample();
    let restarts = 0;
    let convergedAt: number | null = null;
    let lastStatus: FleetStatus | undefined;
    let profileVersion = target.profileVersion;
    const converged = (status: FleetStatus): boolean =>
      (status.versions[target.firmwareVersion] ?? 0) === config.terminals && status.trialPending === 0 && (status.profiles[String(profileVersion)] ?? 0) === config.terminals;
    const check = async (): Promise<void> => {
      lastStatus = await fleet!.status();
      if (convergedAt === null && converged(lastStatus)) convergedAt = Date.now();
      if (convergedAt !== null && !converged(lastStatus)) convergedAt = null; // a terminal fell back: not converged after all
    };

    const starting = fleet.start({ perSecond: config.startRate });
    const faultsEnd = fleetStart + config.durationMs;
    // A third of the way in, the merchant's receipt header is corrected: a new profile version to deliver under faults.
    const correction = waitUntil(() => Date.now() >= fleetStart + config.durationMs / 3, options.signal).then(async () => {
      profileVersion = await correctProfile(target, `corrected at ${new Date().toISOString().slice(11, 19)}`);
      convergedAt = null;
      log(`profile corrected: v${profileVersion}`);
    });
    const restarting = spawned && config.faults.has('server-restart') ? restartLoop(spawned.server, proxy, config, faultsEnd, () => (restarts += 1), log, options.signal) : Promise.resolve();
    if (!spawned && config.faults.has('server-restart')) log('server-restart needs --spawn-server: not injected');

    const progressTimer = setInterval(() => {
      rss.sample();
      void check().then(() => options.progress?.(progressLine({ elapsedMs: Date.now() - fleetStart, status: lastStatus!, total: config.terminals, firmwareVersion: target.firmwareVersion, profileVersion, counts: proxy!.counts(), restarts, rssBytes: rss.latest() })));
    }, Math.min(config.progressEveryMs, SAMPLE_EVERY_MS));
    try {
      await starting;
      await waitUntil(() => Date.now() >= faultsEnd, options.signal);
      proxy.injecting = false;
      powerCutRate = 0;
      await restarting;
      await correction;
      log(`faults stopped after ${formatDuration(Date.now() - fleetStart)}; settling for up to ${formatDuration(config.settleMs)}`);
      const convergedDuringFaults = convergedAt !== null;
      const settleEnd = Date.now() + config.settleMs;
      await check();
      while (convergedAt === null && Date.now() < settleEnd) {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        await check();
      }
      rss.sample();
      clearInterval(progressTimer);
      await fleet.stop();
      const census = await fleet.census();
      const counts = proxy.counts();
      const view = await target.operator.rollout(target.rolloutId).catch(() => undefined);
      const terminals = summarise(census, { firmwareVersion: target.firmwareVersion, profileVersion });
      const report: SimulationReport = {
        startedAt: startedAt.toISOString(),
        endedAt: new Date().toISOString(),
        settings: { terminals: config.terminals, durationMs: config.durationMs, settleMs: config.settleMs, faults: [...config.faults], pollIntervalSeconds: config.pollIntervalSeconds, spawnedServer: spawned !== undefined },
        intended: { firmwareVersion: target.firmwareVersion, targetPath: target.targetPath, rolloutId: target.rolloutId, merchantId: target.merchantId, profileVersion },
        convergedAfterMs: convergedAt === null ? null : convergedAt - fleetStart,
        convergedDuringFaults,
        terminals,
        faults: { ...counts.faults, powerCuts: census.reduce((sum, terminal) => sum + terminal.powerCuts, 0), serverRestarts: restarts, reboots: census.reduce((sum, terminal) => sum + terminal.reboots, 0) },
        http: { requests: counts.requests, byStatus: counts.byStatus, fiveXxInjected: counts.fiveXx.injected, fiveXxNotInjected: counts.fiveXx.notInjected, unexplained: counts.unexplained },
        rollout: view ? { status: view.status, succeeded: view.totals.succeeded, failed: view.totals.failed, attempted: view.totals.attempted } : null,
        server: spawned ? rss.summary(fleetStart, fleetStart + WARM_UP_MS) : null,
        serverErrors: spawned?.server.errors() ?? [],
        terminalErrors: [
          ...unhandled.slice(0, 20).map((line) => `unhandled rejection: ${line}`),
          ...fleet.terminals.filter((terminal) => terminal.lastError !== undefined).slice(0, 20).map((terminal) => `${terminal.serial}: ${terminal.errors} error(s), last ${terminal.lastError}`),
        ],
        bricked: census.filter((terminal) => terminal.bricked).map((terminal) => `${terminal.serial} (${terminal.deviceId ?? 'not enrolled'}): active ${terminal.version ?? '-'}, booted ${terminal.bootedVersion ?? '-'}`),
        ok: terminals.converged === config.terminals && terminals.bricked === 0 && counts.fiveXx.notInjected === 0 && unhandled.length === 0,
      };
      return report;
    } finally {
      clearInterval(progressTimer);
    }
  } finally {
    await fleet?.stop();
    await proxy?.close();
    await spawned?.server.stop();
    process.off('unhandledRejection', onUnhandled);
  }
}

/** `steward init --dev` over a new data directory, then `steward serve` in a child process. */
async function spawnServer(server: Extract<SimulatedServer, { kind: 'spawn' }>, config: SimulationConfig, workDir: string, log: (line: string) => void): Promise<{ server: ServerProcess; dataDir: string }> {
  const dataDir = server.dataDir ?? join(workDir, 'server-data');
  const port = await freePort();
  const env: Record<string, string> = { STEWARD_PORT: String(port), ...(server.databaseUrl ? { DATABASE_URL: server.databaseUrl } : {}) };
  let output = '';
  await runStewardCommand(['init', '--dev', '--data-dir', dataDir], { env, stdout: { write: (text: string) => (output += text) } }).catch((error: unknown) => {
    throw new Error(`steward init --dev failed: ${String(error)}\n${output}`, { cause: error });
  });
  const configFile = join(workDir, 'server-config.json');
  // Check-ins every pollIntervalSeconds; a device silent for 4 of them is flagged offline.
  await writeFile(configFile, JSON.stringify({ pollIntervalSeconds: config.pollIntervalSeconds, offlineAfterSeconds: Math.max(60, 4 * config.pollIntervalSeconds), logLevel: 'warn' }, null, 2));
  const child = await ServerProcess.start({ dataDir, port, configFile, env });
  log(`server started: ${child.url} (data ${dataDir}, pid ${child.pid})`);
  return { server: child, dataDir };
}

async function restartLoop(server: ServerProcess, proxy: FaultProxy, config: SimulationConfig, until: number, counted: () => void, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  for (;;) {
    const next = Date.now() + config.rates.serverRestartEveryMs;
    if (next >= until) return;
    await waitUntil(() => Date.now() >= next, signal);
    if (signal?.aborted) return;
    proxy.restarting = true;
    const down = Date.now();
    await server.restart(config.rates.serverDownMs);
    proxy.restarted(Date.now());
    counted();
    log(`server restarted (down ${formatDuration(Date.now() - down)}, pid ${server.pid})`);
  }
}

class RssSampler {
  readonly #server: ServerProcess | undefined;
  readonly #samples: { at: number; pid: number; bytes: number }[] = [];

  constructor(server: ServerProcess | undefined) {
    this.#server = server;
  }

  sample(): void {
    const bytes = this.#server?.rssBytes();
    const pid = this.#server?.pid;
    if (bytes !== undefined && pid !== undefined) this.#samples.push({ at: Date.now(), pid, bytes });
  }

  latest(): number | undefined {
    return this.#samples.at(-1)?.bytes;
  }

  summary(origin: number, warmUpEnds: number): NonNullable<SimulationReport['server']> {
    const epochs: RssEpoch[] = [];
    for (const sample of this.#samples) {
      const last = epochs.at(-1);
      if (last?.pid === sample.pid) epochs[epochs.length - 1] = { ...last, lastBytes: sample.bytes };
      else epochs.push({ pid: sample.pid, startedAt: new Date(sample.at).toISOString(), firstBytes: sample.bytes, lastBytes: sample.bytes });
    }
    return {
      rssStartBytes: this.#samples[0]?.bytes ?? null,
      rssAfterWarmUpBytes: this.#samples.find((sample) => sample.at >= warmUpEnds)?.bytes ?? null,
      rssEndBytes: this.#samples.at(-1)?.bytes ?? null,
      rssMaxBytes: this.#samples.length === 0 ? null : Math.max(...this.#samples.map((sample) => sample.bytes)),
      epochs,
      samples: this.#samples
        .filter((sample, index) => index === 0 || index === this.#samples.length - 1 || Math.floor((sample.at - origin) / 30_000) !== Math.floor((this.#samples[index - 1]!.at - origin) / 30_000))
        .map((sample) => ({ atSeconds: Math.round((sample.at - origin) / 1000), pid: sample.pid, bytes: sample.bytes })),
    };
  }
}

async function waitUntil(done: () => boolean, signal?: AbortSignal): Promise<void> {
  while (!done() && signal?.aborted !== true) await new Promise((resolve) => setTimeout(resolve, 250));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}
