/**
 * One device's progress in one rollout, as a pure state machine. The database applies a
 * transition with a compare-and-set on the row's `revision` and adds `counterDelta(before,
 * after)` to the phase counters in the same transaction, so each counter always equals the
 * number of devices currently contributing to it, whichever replica saw which event.
 *
 *   offered --download-started/downloaded--> downloading --install-started--> installing
 *      |  \______________________________________________________________/  |
 *      |        committed -> succeeded   rolled-back -> rolled-back   rejected / silent -> failed
 *      |
 *   failed / rolled-back --retry (after back-off, attempts left)--> offered
 *   offered / downloading / installing --rollout cancelled or aborted, device told--> cancelled --cancel-acknowledged--> cancel-acknowledged
 *
 * Counters: `attempted` once per device (the first sign it started, or its silence);
 * `succeeded` / `failed` / `timed_out` by the device's current outcome: a device that failed
 * and later succeeds on a retry (or reports a late commit after being counted silent) moves
 * from `failed` to `succeeded`; failing again on a retry counts nothing new.
 *
 * @example
 * const next = applyInput(row, { kind: 'event', event: 'committed', code: null }, { now, retry });
 * if (next) delta = counterDelta(row, next);
 */
import type { ProgressOutcome, ProgressState } from './rollout-tables.js';

/** The code recorded when a device stayed silent past the rollout's timeout. */
export const SILENT_DEVICE_CODE = 'STW_ROLLOUT_DEVICE_SILENT';

export interface Progress {
  readonly state: ProgressState;
  readonly attempts: number;
  readonly attempted: boolean;
  readonly outcome: ProgressOutcome | null;
  readonly retryAt: string | null;
  readonly lastCode: string | null;
}

export interface RetryPolicy {
  /** Offers in all, the first included (1 = no retry). */
  readonly maxAttempts: number;
  /** Wait before the first retry; doubled for each further one. */
  readonly backoffSeconds: number;
}

export type ProgressInput =
  | { readonly kind: 'event'; readonly event: string; readonly code: string | null }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'retry' }
  /** The rollout was cancelled or aborted and the device is being told to drop its offer. */
  | { readonly kind: 'withdraw' };

export interface CounterDelta {
  readonly attempted: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timedOut: number;
}

const IN_FLIGHT: readonly ProgressState[] = ['offered', 'downloading', 'installing'];

export function isInFlight(state: ProgressState): boolean {
  return IN_FLIGHT.includes(state);
}

/** The next progress, or undefined when the input does not apply in this state (nothing changes). */
export function applyInput(progress: Progress, input: ProgressInput, context: { now: Date; retry: RetryPolicy }): Progress | undefined {
  const { state } = progress;
  switch (input.kind) {
    case 'timeout':
      return isInFlight(state) ? fail(progress, 'failed', 'timed-out', SILENT_DEVICE_CODE, context) : undefined;
    case 'retry':
      if ((state !== 'failed' && state !== 'rolled-back') || progress.retryAt === null || progress.retryAt > context.now.toISOString()) return undefined;
      return { ...progress, state: 'offered', attempts: progress.attempts + 1, retryAt: null };
    case 'withdraw':
      return isInFlight(state) ? { ...progress, state: 'cancelled', retryAt: null } : undefined;
    case 'event':
      return applyEvent(progress, input.event, input.code, context);
  }
}

function applyEvent(progress: Progress, event: string, code: string | null, context: { now: Date; retry: RetryPolicy }): Progress | undefined {
  const { state } = progress;
  switch (event) {
    case 'offered': // protocol 3: the device received the offer; news, but no step
      return isInFlight(state) || state === 'cancelled' ? progress : undefined;
    case 'download-started':
    case 'downloaded':
      return state === 'offered' || state === 'downloading' ? { ...progress, state: 'downloading', attempted: true } : undefined;
    case 'install-started':
      return isInFlight(state) ? { ...progress, state: 'installing', attempted: true } : undefined;
    case 'committed':
      if (state === 'succeeded' || state === 'cancel-acknowledged') return undefined;
      return { ...progress, state: 'succeeded', attempted: true, outcome: 'succeeded', retryAt: null, lastCode: code };
    case 'rolled-back':
      return isInFlight(state) || state === 'cancelled' ? fail(progress, 'rolled-back', 'failed', code, context) : undefined;
    case 'rejected':
      return isInFlight(state) || state === 'cancelled' ? fail(progress, 'failed', 'failed', code, context) : undefined;
    case 'cancel-acknowledged':
      return isInFlight(state) || state === 'cancelled' ? { ...progress, state: 'cancel-acknowledged', retryAt: null } : undefined;
    default:
      return undefined; // profile events and kinds of later protocol versions
  }
}

function fail(progress: Progress, state: 'failed' | 'rolled-back', outcome: ProgressOutcome, code: string | null, context: { now: Date; retry: RetryPolicy }): Progress {
  // Still one failure either way: a silent device that then reports its rollback is no longer
  // counted silent; a device that failed and then goes silent on its retry stays a failure.
  const settled: ProgressOutcome = outcome === 'timed-out' && progress.outcome === 'failed' ? 'failed' : outcome;
  return { ...progress, state, attempted: true, outcome: settled, lastCode: code, retryAt: retryAt(progress.attempts, context) };
}

function retryAt(attempts: number, { now, retry }: { now: Date; retry: RetryPolicy }): string | null {
  if (attempts >= retry.maxAttempts) return null;
  const delaySeconds = retry.backoffSeconds * 2 ** (attempts - 1);
  return new Date(now.getTime() + delaySeconds * 1000).toISOString();
}

/** What a device contributes to its phase's counters in this progress. */
export function contribution(progress: Progress): CounterDelta {
  const { outcome } = progress;
  return {
    attempted: progress.attempted ? 1 : 0,
    succeeded: outcome === 'succeeded' ? 1 : 0,
    failed: outcome === 'failed' || outcome === 'timed-out' ? 1 : 0,
    timedOut: outcome === 'timed-out' ? 1 : 0,
  };
}

export function counterDelta(before: Progress, after: Progress): CounterDelta {
  const a = contribution(before);
  const b = contribution(after);
  return { attempted: b.attempted - a.attempted, succeeded: b.succeeded - a.succeeded, failed: b.failed - a.failed, timedOut: b.timedOut - a.timedOut };
}

export function isZero(delta: CounterDelta): boolean {
  return delta.attempted === 0 && delta.succeeded === 0 && delta.failed === 0 && delta.timedOut === 0;
}
