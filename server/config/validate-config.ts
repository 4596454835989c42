/**
 * Checks a merged `Config` (numbers in range, switches boolean) before anything starts, so that a wrong number in a configuration
 * file stops the server at start with one clear message instead of failing later, request by
 * request (a `pollIntervalSeconds` of 5 would make every director document invalid: the
 * director format requires 10 s or more, manifests/director/director-targets.ts).
 *
 * @example
 * const config = validateConfig(loadConfig()); // throws STW_CONFIG_INVALID
 */
import { MAX_POLL_INTERVAL_SECONDS, MIN_POLL_INTERVAL_SECONDS } from '../../manifests/index.js';
import { stewardError } from '../errors.js';
import type { Config } from './config.js';

type NumericField = { [K in keyof Config]: Config[K] extends number ? K : never }[keyof Config];

interface Range {
  readonly min: number;
  readonly max?: number;
  /** Whole numbers only. */
  readonly integer: boolean;
}

const MAX_PORT = 65_535;
/** Node runs a timer given more than 2^31 - 1 ms after 1 ms: intervals and time limits stay below. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_TIMER_SECONDS = Math.floor(MAX_TIMER_MS / 1000);

/** The accepted range of every numeric field (0 turns a background job off where the field says so). */
const RANGES: Record<NumericField, Range> = {
  port: { min: 0, max: MAX_PORT, integer: true },
  maxArtifactBytes: { min: 1, integer: true },
  maxMetadataBytes: { min: 1, integer: true },
  timestampLifetimeSeconds: { min: 1, integer: true },
  snapshotLifetimeSeconds: { min: 1, integer: true },
  resignBeforeFraction: { min: 0, max: 1, integer: false },
  resignIntervalSeconds: { min: 0, max: MAX_TIMER_SECONDS, integer: true },
  directorLifetimeSeconds: { min: 1, integer: true },
  directorResignBeforeFraction: { min: 0, max: 1, integer: false },
  pollIntervalSeconds: { min: MIN_POLL_INTERVAL_SECONDS, max: MAX_POLL_INTERVAL_SECONDS, integer: true },
  offlineAfterSeconds: { min: 1, integer: true },
  signatureWindowSeconds: { min: 1, integer: true },
  enrolmentChallengeSeconds: { min: 1, integer: true },
  maxCheckInBytes: { min: 1, integer: true },
  checkInHistoryIntervalSeconds: { min: 0, integer: true },
  checkInHistoryRetentionSeconds: { min: 0, integer: true },
  fleetPruneIntervalSeconds: { min: 0, max: MAX_TIMER_SECONDS, integer: true },
  webhookIntervalMilliseconds: { min: 0, max: MAX_TIMER_MS, integer: true },
  webhookTimeoutMilliseconds: { min: 1, max: MAX_TIMER_MS, integer: true },
  webhookRetentionSeconds: { min: 0, integer: true },
};

type BooleanField = { [K in keyof Config]: Config[K] extends boolean ? K : never }[keyof Config];

/** Switches: true or false, never a string ("false" from a JSON file would otherwise read as on). */
const BOOLEANS: readonly BooleanField[] = ['presignDownloads', 'webhookAllowPrivateNetworks'];

/** `config` itself when every numeric field is in range and every switch a boolean; else STW_CONFIG_INVALID naming each wrong field. */
export function validateConfig(config: Config): Config {
  const problems: { field: string; value: unknown; expected: string }[] = [];
  for (const [field, range] of Object.entries(RANGES) as [NumericField, Range][]) {
    const value: unknown = config[field];
    const inRange = typeof value === 'number' && Number.isFinite(value) && (!range.integer || Number.isInteger(value)) && value >= range.min && (range.max === undefined || value <= range.max);
    if (!inRange) problems.push({ field, value, expected: describe(range) });
  }
  for (const field of BOOLEANS) {
    const value: unknown = config[field];
    if (typeof value !== 'boolean') problems.push({ field, value, expected: 'true or false' });
  }
  if (problems.length > 0) {
    const list = problems.map((problem) => `${problem.field} must be ${problem.expected} (is ${JSON.stringify(problem.value)})`).join('; ');
    throw stewardError('STW_CONFIG_INVALID', `configuration: ${list}`, { problems });
  }
  return config;
}

function describe(range: Range): string {
  const kind = range.integer ? 'an integer' : 'a number';
  return range.max === undefined ? `${kind} >= ${range.min}` : `${kind} from ${range.min} to ${range.max}`;
}
