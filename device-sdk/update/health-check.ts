/**
 * Run a host check (the update's health check, the profile check) with a timeout. Any answer
 * but `true` within the time is a failure; the caller turns it into a rollback (RAUC/Mender:
 * no mark-good, no commit). The check's signal aborts when the timeout fires.
 */
import type { TimerScheduler } from '../fetch/http-fetcher.js';

export type HealthResult = { readonly healthy: true } | { readonly healthy: false; readonly timedOut: boolean; readonly error?: string };

export async function runHealthCheck(
  check: (signal: AbortSignal) => Promise<boolean>,
  timeoutMs: number,
  schedule: TimerScheduler,
): Promise<HealthResult> {
  const controller = new AbortController();
  let cancelTimer: () => void = () => {};
  const timeout = new Promise<HealthResult>((resolve) => {
    cancelTimer = schedule(timeoutMs, () => {
      controller.abort();
      resolve({ healthy: false, timedOut: true });
    });
  });
  const answer = Promise.resolve()
    .then(() => check(controller.signal))
    .then(
      (healthy): HealthResult => (healthy === true ? { healthy: true } : { healthy: false, timedOut: false }),
      (error: unknown): HealthResult => ({ healthy: false, timedOut: false, error: error instanceof Error ? error.message : String(error) }),
    );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    cancelTimer();
  }
}
