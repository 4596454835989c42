/**
 * The fleet simulator's settings: one `SimulationConfig` with its defaults (units in the
 * comments), merged once from `Partial<SimulationConfig>` at the edge, plus the parsers the
 * `steward simulate` options use (`10m`, `drop,slow,truncate`).
 *
 * @example
 * const config = resolveSimulationConfig({ terminals: 20, durationMs: parseDuration('60s'), faults: parseFaults('all') });
 */

/** The faults the simulator injects (docs/simulator.md). */
export const FAULTS = ['drop', 'slow', 'truncate', 'power-cut', 'server-restart'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultRates {
  /** Share of requests whose connection is dropped (half before the server sees them, half after it answered); ratio. */
  readonly drop: number;
  /** Share of requests answered late and slowly; ratio. */
  readonly slow: number;
  /** Longest delay added to a slow answer; milliseconds. */
  readonly slowMaxMs: number;
  /** Share of target downloads cut off part-way; ratio. */
  readonly truncate: number;
  /** Share of installs cut by a power failure at a random disk step; ratio (per install). */
  readonly powerCut: number;
  /** How long a terminal stays off after a power cut; milliseconds (at most). */
  readonly powerOffMaxMs: number;
  /** Time between two server restarts (spawned server only); milliseconds. */
  readonly serverRestartEveryMs: number;
  /** How long the server stays down at a restart, besides its own start-up; milliseconds. */
  readonly serverDownMs: number;
  /** After a restart, 5xx answers and refused connections still count as caused by it for this long; milliseconds. */
  readonly restartGraceMs: number;
}

export interface SimulationConfig {
  readonly terminals: number;
  /** How long faults are injected; milliseconds. */
  readonly durationMs: number;
  /** After the duration: faults stop and the run waits this long at most for every terminal to converge; milliseconds. */
  readonly settleMs: number;
  readonly faults: ReadonlySet<Fault>;
  readonly rates: FaultRates;
  /** How often terminals check in (the spawned server's director `poll_interval_seconds`); seconds. */
  readonly pollIntervalSeconds: number;
  /** Terminals started per second at the beginning (a fleet does not power on in one instant); count/s. */
  readonly startRate: number;
  /** Size of the firmware image the simulator publishes; bytes. */
  readonly imageBytes: number;
  /** Hardware model of the simulated terminals. */
  readonly hardwareModel: string;
  /** Progress line interval; milliseconds. */
  readonly progressEveryMs: number;
  /** Seed of the fault dice (the same seed draws the same sequence of decisions). */
  readonly seed: number;
}

export const defaultFaultRates: FaultRates = {
  drop: 0.03, // ratio of requests
  slow: 0.05, // ratio of requests
  slowMaxMs: 4_000, // ms
  truncate: 0.25, // ratio of target downloads
  powerCut: 0.3, // ratio of installs
  powerOffMaxMs: 5_000, // ms
  serverRestartEveryMs: 150_000, // ms
  serverDownMs: 3_000, // ms
  restartGraceMs: 10_000, // ms
};

export const defaultSimulationConfig: SimulationConfig = {
  terminals: 50,
  durationMs: 120_000, // ms
  settleMs: 180_000, // ms
  faults: new Set<Fault>(),
  rates: defaultFaultRates,
  pollIntervalSeconds: 15, // s
  startRate: 50, // terminals per second
  imageBytes: 64 * 1024, // bytes
  hardwareModel: 't100',
  progressEveryMs: 5_000, // ms
  seed: 1,
};

export function resolveSimulationConfig(config: Partial<Omit<SimulationConfig, 'rates'>> & { rates?: Partial<FaultRates> } = {}): SimulationConfig {
  return { ...defaultSimulationConfig, ...config, rates: { ...defaultFaultRates, ...config.rates } };
}

/** `90s`, `10m`, `1h`, `1500ms`, or plain milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new RangeError(`${JSON.stringify(text)} is not a duration (e.g. 90s, 10m, 1h)`);
  const value = Number(match[1]);
  const unit = match[2] ?? 'ms';
  const factor = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit] ?? 1;
  return Math.round(value * factor);
}

/** `drop,slow,...`, `all`, or `none`. */
export function parseFaults(text: string): Set<Fault> {
  const words = text.split(',').map((word) => word.trim()).filter((word) => word !== '');
  if (words.length === 1 && words[0] === 'all') return new Set(FAULTS);
  if (words.length === 1 && words[0] === 'none') return new Set();
  const faults = new Set<Fault>();
  for (const word of words) {
    if (!(FAULTS as readonly string[]).includes(word)) throw new RangeError(`unknown fault ${JSON.stringify(word)} (known: ${FAULTS.join(', ')}, all, none)`);
    faults.add(word as Fault);
  }
  return faults;
}
