/**
 * The server's configuration: one `Config` type, `defaultConfig` (the embedded defaults
 * `npm start` uses), merged once at the edge from a JSON file and the environment.
 *
 * @example
 * const config = resolveConfig({ port: 0, databaseUrl: 'sqlite::memory:' });
 */
import type { BlobStoreConfig } from '../blobs/index.js';

/** Where artifacts live: a directory (default) or an S3 bucket (see docs/storage.md). */
export type BlobConfig = BlobStoreConfig;

export interface Config {
  /** Interface to listen on. */
  readonly host: string;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** `sqlite:<file>` (embedded), `sqlite::memory:`, or `postgres://...`. */
  readonly databaseUrl: string;
  readonly blobs: BlobConfig;
  /** Directory of the server's online private keys (snapshot, timestamp, director). */
  readonly keysDir: string;
  /** Largest artifact a vendor may upload, in bytes. */
  readonly maxArtifactBytes: number;
  /** Largest signed metadata document accepted, in bytes. */
  readonly maxMetadataBytes: number;
  /** Lifetime of a freshly signed timestamp, in seconds. */
  readonly timestampLifetimeSeconds: number;
  /** Lifetime of a freshly signed snapshot, in seconds. */
  readonly snapshotLifetimeSeconds: number;
  /** Re-sign timestamp / snapshot when less than this fraction of their lifetime is left. */
  readonly resignBeforeFraction: number;
  /** How often the re-signing check runs, in seconds; 0 disables it. */
  readonly resignIntervalSeconds: number;
  /** pino log level. */
  readonly logLevel: string;
  /** Redirect target downloads to presigned object-store URLs (S3 only). */
  readonly presignDownloads: boolean;
  /** Lifetime of a freshly signed director document, in seconds. */
  readonly directorLifetimeSeconds: number;
  /** Re-sign a device's unchanged director document when less than this fraction of its lifetime is left. */
  readonly directorResignBeforeFraction: number;
  /** How often devices are told to check in (director `poll_interval_seconds`), in seconds. */
  readonly pollIntervalSeconds: number;
  /** A device not seen for longer than this is flagged offline, in seconds. */
  readonly offlineAfterSeconds: number;
  /** Accepted distance between a signed request's `created` and the server clock (replay window), in seconds. */
  readonly signatureWindowSeconds: number;
  /** How long an enrolment challenge stays usable, in seconds. */
  readonly enrolmentChallengeSeconds: number;
  /** Largest check-in body accepted, in bytes. */
  readonly maxCheckInBytes: number;
  /** Write a check-in history row at least this often per device (and whenever its reported state changes), in seconds. */
  readonly checkInHistoryIntervalSeconds: number;
  /** Check-in history older than this is deleted, in seconds; 0 keeps it forever. */
  readonly checkInHistoryRetentionSeconds: number;
  /** How often expired nonces, challenges and old history are pruned, in seconds; 0 disables it. */
  readonly fleetPruneIntervalSeconds: number;
  /** How often the webhook outbox is polled, in milliseconds; 0 disables delivery by this replica. */
  readonly webhookIntervalMilliseconds: number;
  /** Time limit of one webhook POST, in milliseconds (more than 0). */
  readonly webhookTimeoutMilliseconds: number;
  /** Deliver webhooks to loopback, private and other non-public addresses too (development); refused by default. */
  readonly webhookAllowPrivateNetworks: boolean;
  /** Delivered or given-up notifications older than this are deleted from the outbox, in seconds; 0 keeps them. */
  readonly webhookRetentionSeconds: number;
  /** Directory of the built web console served at /console; '' = dist/console of this package. */
  readonly consoleDir: string;
}

export const defaultConfig: Config = {
  host: '127.0.0.1',
  port: 8080,
  databaseUrl: 'sqlite:./data/steward.db',
  blobs: { kind: 'fs', dir: './data/blobs' },
  keysDir: './data/keys',
  maxArtifactBytes: 4 * 1024 * 1024 * 1024, // 4 GiB
  maxMetadataBytes: 4 * 1024 * 1024, // 4 MiB
  timestampLifetimeSeconds: 24 * 3600, // 1 day
  snapshotLifetimeSeconds: 7 * 24 * 3600, // 7 days
  resignBeforeFraction: 0.5,
  resignIntervalSeconds: 60,
  logLevel: 'info',
  presignDownloads: false,
  directorLifetimeSeconds: 24 * 3600, // 1 day
  directorResignBeforeFraction: 0.5,
  pollIntervalSeconds: 300, // 5 minutes
  offlineAfterSeconds: 3600, // 1 hour
  signatureWindowSeconds: 300, // 5 minutes (protocol.md section 2)
  enrolmentChallengeSeconds: 300, // 5 minutes (protocol.md 1.1)
  maxCheckInBytes: 64 * 1024, // 64 KiB
  checkInHistoryIntervalSeconds: 3600, // 1 hour
  checkInHistoryRetentionSeconds: 90 * 24 * 3600, // 90 days
  fleetPruneIntervalSeconds: 60, // 1 minute
  webhookIntervalMilliseconds: 2000, // 2 s
  webhookTimeoutMilliseconds: 5000, // 5 s
  webhookAllowPrivateNetworks: false,
  webhookRetentionSeconds: 30 * 24 * 3600, // 30 days
  consoleDir: '',
};

export function resolveConfig(overrides: Partial<Config> = {}): Config {
  return { ...defaultConfig, ...overrides };
}
