/**
 * What the terminal application answers for the update state machine, and the machine's
 * configuration (units in comments, merged once from `Partial<UpdateConfig>`).
 */
import { DurableFs } from '../durable/durable-fs.js';
import { defaultHttpFetcherConfig, type TimerScheduler } from '../fetch/http-fetcher.js';

export interface UpdateHost {
  /** False while the terminal must not be disturbed, above all in the middle of a payment transaction. */
  canInstallNow(): boolean | Promise<boolean>;
  /**
   * Runs on a trial boot: resolve true when the terminal can take payments (payment app up,
   * acquirer reachable, printer answers). False, a throw or the timeout means roll back.
   * `signal` aborts when the timeout fires.
   */
  healthCheck(signal: AbortSignal): Promise<boolean>;
  /** Restart the terminal. On a device this does not return; in tests it records the request. */
  reboot(): Promise<void>;
}

export interface UpdateConfig {
  /** Directory for the persisted state and the downloads folder. */
  readonly stateDirectory: string;
  /** Trial boots the bootloader allows without mark-good before it falls back. */
  readonly bootAttempts: number;
  /** Milliseconds the health check may take. */
  readonly healthCheckTimeoutMs: number;
  /** Download runs (each a `resume()` that reached the network) before the update is rejected. */
  readonly maxDownloadRuns: number;
  readonly now: () => Date;
  readonly schedule: TimerScheduler;
  readonly fs: DurableFs;
}

export const defaultUpdateConfig: Omit<UpdateConfig, 'stateDirectory'> = {
  bootAttempts: 3,
  healthCheckTimeoutMs: 120_000,
  maxDownloadRuns: 20,
  now: () => new Date(),
  schedule: defaultHttpFetcherConfig.schedule,
  fs: new DurableFs(),
};
