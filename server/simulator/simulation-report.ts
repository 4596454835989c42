/**
 * What a simulation found, as data (`--json`) and as the table `steward simulate` prints:
 * convergence on the intended firmware version (and profile, once terminals apply profiles),
 * bricked terminals, the faults injected, the server's answers (5xx split by whether an
 * injected fault explains them) and the spawned server's resident memory.
 *
 * @example
 * process.stdout.write(formatReport(report));
 */
import { formatTable } from '../cli/table.js';
import type { TerminalCensus } from './sim-terminal.js';
import type { ProxyCounts } from './fault-proxy.js';

export interface RssEpoch {
  readonly pid: number;
  readonly startedAt: string;
  /** First and last sample of this process; bytes. */
  readonly firstBytes: number;
  readonly lastBytes: number;
}

export interface SimulationReport {
  readonly startedAt: string;
  readonly endedAt: string;
  readonly settings: { readonly terminals: number; readonly durationMs: number; readonly settleMs: number; readonly faults: readonly string[]; readonly pollIntervalSeconds: number; readonly spawnedServer: boolean };
  readonly intended: { readonly firmwareVersion: string; readonly targetPath: string; readonly rolloutId: string; readonly merchantId?: string; readonly profileVersion?: number };
  /** Since the first terminal was powered on; null when the fleet never converged. */
  readonly convergedAfterMs: number | null;
  /** Whether it converged while faults were still being injected. */
  readonly convergedDuringFaults: boolean;
  readonly terminals: {
    readonly total: number;
    readonly enrolled: number;
    readonly onIntendedVersion: number;
    readonly onIntendedProfile: number | null;
    readonly converged: number;
    readonly bricked: number;
    readonly trialPending: number;
    readonly withSoftwareErrors: number;
    readonly versions: Readonly<Record<string, number>>;
  };
  readonly faults: ProxyCounts['faults'] & { readonly powerCuts: number; readonly serverRestarts: number; readonly reboots: number };
  readonly http: { readonly requests: number; readonly byStatus: Readonly<Record<string, number>>; readonly fiveXxInjected: number; readonly fiveXxNotInjected: number; readonly unexplained: readonly string[] };
  readonly rollout: { readonly status: string; readonly succeeded: number; readonly failed: number; readonly attempted: number } | null;
  readonly server: {
    readonly rssStartBytes: number | null;
    readonly rssAfterWarmUpBytes: number | null;
    readonly rssEndBytes: number | null;
    readonly rssMaxBytes: number | null;
    /** One process each (a restart starts a new one). */
    readonly epochs: readonly RssEpoch[];
    /** About every 30 s: seconds since the fleet started, process id, RSS in bytes. */
    readonly samples: readonly { readonly atSeconds: number; readonly pid: number; readonly bytes: number }[];
  } | null;
  /** The spawned server's last error log lines. */
  readonly serverErrors: readonly string[];
  /** The first software errors of terminals (not power cuts). */
  readonly terminalErrors: readonly string[];
  readonly bricked: readonly string[];
  /** True when every terminal converged, none is bricked and no 5xx is unexplained. */
  readonly ok: boolean;
}

export function summarise(census: readonly TerminalCensus[], intended: { firmwareVersion: string; profileVersion?: number }): SimulationReport['terminals'] {
  const versions: Record<string, number> = {};
  for (const terminal of census) versions[terminal.version ?? 'unknown'] = (versions[terminal.version ?? 'unknown'] ?? 0) + 1;
  const onVersion = (terminal: TerminalCensus): boolean => terminal.version === intended.firmwareVersion && terminal.bootedVersion === intended.firmwareVersion && !terminal.trialPending;
  const onProfile = (terminal: TerminalCensus): boolean => intended.profileVersion === undefined || terminal.profileVersion === intended.profileVersion;
  return {
    total: census.length,
    enrolled: census.filter((terminal) => terminal.deviceId !== undefined).length,
    onIntendedVersion: census.filter(onVersion).length,
    onIntendedProfile: intended.profileVersion === undefined ? null : census.filter(onProfile).length,
    converged: census.filter((terminal) => onVersion(terminal) && onProfile(terminal) && !terminal.bricked).length,
    bricked: census.filter((terminal) => terminal.bricked).length,
    trialPending: census.filter((terminal) => terminal.trialPending).length,
    withSoftwareErrors: census.filter((terminal) => terminal.errors > 0).length,
    versions,
  };
}

export function formatReport(report: SimulationReport): string {
  const mib = (bytes: number | null | undefined): string => (bytes === null || bytes === undefined ? '-' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);
  const t = report.terminals;
  const rows: [string, string][] = [
    ['terminals', String(t.total)],
    ['enrolled', `${t.enrolled} / ${t.total}`],
    [`on firmware ${report.intended.firmwareVersion}`, `${t.onIntendedVersion} / ${t.total}`],
    ...(t.onIntendedProfile === null ? [] : ([[`on profile v${report.intended.profileVersion}`, `${t.onIntendedProfile} / ${t.total}`]] as [string, string][])),
    ['converged', `${t.converged} / ${t.total}${report.convergedAfterMs === null ? '' : ` (all after ${(report.convergedAfterMs / 1000).toFixed(0)} s${report.convergedDuringFaults ? ', while faults went on' : ', after faults stopped'})`}`],
    ['bricked', String(t.bricked)],
    ['versions', Object.entries(t.versions).map(([version, count]) => `${version}: ${count}`).join(', ')],
    ['terminals with software errors', String(t.withSoftwareErrors)],
    ['faults: dropped connections', `${report.faults.dropBefore} before the server, ${report.faults.dropAfter} after it answered`],
    ['faults: slow answers', String(report.faults.slow)],
    ['faults: truncated downloads', String(report.faults.truncate)],
    ['faults: power cuts during install', String(report.faults.powerCuts)],
    ['faults: server restarts', String(report.faults.serverRestarts)],
    ['reboots (updates)', String(report.faults.reboots)],
    ['requests through the proxy', String(report.http.requests)],
    ['5xx caused by injected faults', String(report.http.fiveXxInjected)],
    ['5xx NOT caused by injected faults', String(report.http.fiveXxNotInjected)],
    ['rollout', report.rollout === null ? '-' : `${report.rollout.status}: ${report.rollout.succeeded} succeeded, ${report.rollout.failed} failed of ${report.rollout.attempted} attempted`],
    ...(report.server === null
      ? []
      : ([
          ['server RSS at start / after warm-up', `${mib(report.server.rssStartBytes)} / ${mib(report.server.rssAfterWarmUpBytes)}`],
          ['server RSS at end / max', `${mib(report.server.rssEndBytes)} / ${mib(report.server.rssMaxBytes)}`],
        ] as [string, string][])),
    ['result', report.ok ? 'OK: every terminal converged, none bricked, no unexplained 5xx' : 'NOT OK'],
  ];
  let text = formatTable(['', ''], rows);
  text = text.slice(text.indexOf('\n') + 1); // no header row
  if (report.http.unexplained.length > 0) text += `5xx not explained by a fault:\n${report.http.unexplained.map((line) => `  ${line}`).join('\n')}\n`;
  if (report.serverErrors.length > 0) text += `server errors logged:\n${report.serverErrors.map((line) => `  ${line}`).join('\n')}\n`;
  if (report.terminalErrors.length > 0) text += `terminal software errors:\n${report.terminalErrors.map((line) => `  ${line}`).join('\n')}\n`;
  if (report.bricked.length > 0) text += `bricked:\n${report.bricked.map((line) => `  ${line}`).join('\n')}\n`;
  return text;
}
