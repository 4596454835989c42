/**
 * The agent's settings: an `AgentConfig` with every default in `defaultAgentConfig` (units
 * in comments), merged once from `Partial<AgentConfig>` at the edge. The clock, the random
 * source and the sleeper are injected here, so tests never wait.
 *
 * @example
 * const agent = new Agent({ ..., config: { now: () => fakeClock, sleep: async () => {} } });
 */
import { DurableFs } from '../durable/durable-fs.js';
import type { UpdateConfig } from '../update/index.js';

export interface AgentConfig {
  /** Poll interval until the director sets one; seconds. */
  readonly defaultPollIntervalSeconds: number;
  /** The poll interval varies by up to this fraction either way; ratio. */
  readonly pollJitterRatio: number;
  /** First back-off after a failure; seconds. */
  readonly backOffBaseSeconds: number;
  /** Longest back-off; seconds. */
  readonly backOffMaxSeconds: number;
  /** Next check-in after an update stopped to wait (window, host busy, network); seconds at most. */
  readonly retryUpdateSeconds: number;
  /** Next check-in when events wait to be reported; seconds. */
  readonly reportDelaySeconds: number;
  /** A target that failed on this terminal is not tried again sooner than this, doubled per failure; seconds. */
  readonly failedTargetHoldOffSeconds: number;
  /** Events sent in one check-in, at most; count. */
  readonly maxEventsPerCheckIn: number;
  /** Events kept while the server is unreachable, at most (the oldest go first); count. */
  readonly maxQueuedEvents: number;
  /** The update state machine's settings (boot attempts, health check timeout, ...). */
  readonly update: Partial<Omit<UpdateConfig, 'stateDirectory' | 'now' | 'fs'>>;
  /** Where the director's roots are served (`<path>/<N>.root.json`), for director root rotation. */
  readonly directorMetadataPath: string;
  /** A root of the image repository provisioned at the factory: trusted instead of the one in the enrolment bundle. */
  readonly pinnedImageRepositoryRoot: Uint8Array | undefined;
  readonly now: () => Date;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  /** Wait `ms` (or until `signal` aborts). */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly fs: DurableFs;
}

export const defaultAgentConfig: AgentConfig = {
  defaultPollIntervalSeconds: 300, // seconds
  pollJitterRatio: 0.1, // ratio
  backOffBaseSeconds: 10, // seconds
  backOffMaxSeconds: 3600, // seconds
  retryUpdateSeconds: 60, // seconds
  reportDelaySeconds: 5, // seconds
  failedTargetHoldOffSeconds: 3600, // seconds, doubled per failure (as the server's retry back-off)
  maxEventsPerCheckIn: 100, // events
  maxQueuedEvents: 1000, // events
  update: {},
  directorMetadataPath: '/v1/director/metadata',
  pinnedImageRepositoryRoot: undefined,
  now: () => new Date(),
  random: Math.random,
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    }),
  fs: new DurableFs(),
};

export function resolveAgentConfig(config: Partial<AgentConfig> = {}): AgentConfig {
  return { ...defaultAgentConfig, ...config };
}
