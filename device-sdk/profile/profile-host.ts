/**
 * What the terminal application answers for a profile apply, and the applier's configuration
 * (units in comments, merged once from `Partial<ProfileApplierConfig>`).
 */
import { DurableFs } from '../durable/durable-fs.js';
import { defaultHttpFetcherConfig, type TimerScheduler } from '../fetch/http-fetcher.js';
import { defaultProfileValidator, type ProfileValidator } from './profile-validator.js';

export interface ProfileHost {
  /**
   * Runs with the new profile in force: resolve true when the terminal works with it (the
   * payment application loads it, the acquirer accepts the merchant and terminal ids).
   * False, a throw or the timeout restores the previous profile.
   */
  checkProfile(version: number, bytes: Uint8Array, signal: AbortSignal): Promise<boolean>;
  /** False in the middle of a transaction; the apply is then deferred. Default: always true. */
  canApplyNow?(): boolean | Promise<boolean>;
}

export interface ProfileApplierConfig {
  /** Directory holding profile.json, profile.previous.json and the apply marker. */
  readonly directory: string;
  readonly validator: ProfileValidator;
  /** Milliseconds `checkProfile` may take. */
  readonly checkTimeoutMs: number;
  readonly now: () => Date;
  readonly schedule: TimerScheduler;
  readonly fs: DurableFs;
}

export const defaultProfileApplierConfig: Omit<ProfileApplierConfig, 'directory'> = {
  validator: defaultProfileValidator,
  checkTimeoutMs: 60_000,
  now: () => new Date(),
  schedule: defaultHttpFetcherConfig.schedule,
  fs: new DurableFs(),
};
