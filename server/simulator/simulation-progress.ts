/**
 * The one-line progress of a running simulation, e.g.
 * `[02:35] enrolled 998/1000  on 1.0.1 950/1000  profile v2 990/1000  trial 12  power cuts 37  restarts 2  dropped 512  slow 480  truncated 61  5xx 12 (0 unexplained)  server 181 MiB`.
 *
 * @example
 * progress(progressLine({ elapsedMs, status, total, firmwareVersion, counts, restarts, rssBytes }));
 */
import type { ProxyCounts } from './fault-proxy.js';
import type { FleetStatus } from './sim-fleet.js';

export interface ProgressFacts {
  readonly elapsedMs: number;
  readonly status: FleetStatus;
  readonly total: number;
  readonly firmwareVersion: string;
  readonly profileVersion?: number;
  readonly counts: ProxyCounts;
  readonly restarts: number;
  readonly rssBytes: number | undefined;
}

export function progressLine(facts: ProgressFacts): string {
  const { status, counts } = facts;
  const parts = [
    `[${formatDuration(facts.elapsedMs)}]`,
    `enrolled ${status.enrolled}/${facts.total}`,
    `on ${facts.firmwareVersion} ${status.versions[facts.firmwareVersion] ?? 0}/${facts.total}`,
    ...(facts.profileVersion === undefined ? [] : [`profile v${facts.profileVersion} ${status.profiles[String(facts.profileVersion)] ?? 0}/${facts.total}`]),
    `trial ${status.trialPending}`,
    `power cuts ${status.powerCuts}`,
    `restarts ${facts.restarts}`,
    `dropped ${counts.faults.dropBefore + counts.faults.dropAfter}`,
    `slow ${counts.faults.slow}`,
    `truncated ${counts.faults.truncate}`,
    `5xx ${counts.fiveXx.injected + counts.fiveXx.notInjected} (${counts.fiveXx.notInjected} unexplained)`,
  ];
  if (status.errors > 0) parts.push(`software errors ${status.errors}`);
  if (facts.rssBytes !== undefined) parts.push(`server ${(facts.rssBytes / 1024 / 1024).toFixed(0)} MiB`);
  return parts.join('  ');
}

/** `mm:ss`, or `h:mm:ss` from an hour. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const two = (n: number): string => String(n).padStart(2, '0');
  const hours = Math.floor(seconds / 3600);
  const rest = `${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
  return hours > 0 ? `${hours}:${rest}` : rest;
}
