/**
 * `trial-boot` and `rolling-back`: on the trial boot run the health check and commit
 * (mark good) or roll back; when the bootloader already fell back (boot limit, damaged
 * slot), record why. Rolling back clears the trial in the bootloader record and reboots
 * into the previous slot.
 */
import type { DeviceState } from './device-state.js';
import { runHealthCheck } from './health-check.js';
import { eventBase, fallbackReason, type StepContext, type Transition } from './step-context.js';

type TrialBoot = Extract<DeviceState, { kind: 'trial-boot' }>;
type RollingBack = Extract<DeviceState, { kind: 'rolling-back' }>;

export async function handleTrialBoot(context: StepContext, state: TrialBoot): Promise<Transition> {
  const boot = await context.installer.bootState();
  if (boot.booted === state.slot && boot.trial === state.slot) {
    const health = await runHealthCheck((signal) => context.host.healthCheck(signal), context.config.healthCheckTimeoutMs, context.config.schedule);
    if (!health.healthy) {
      const details = { timedOut: health.timedOut, ...(health.error === undefined ? {} : { error: health.error }) };
      return { next: { ...state, kind: 'rolling-back', reason: 'STW_DEVICE_HEALTH_CHECK_FAILED', details } };
    }
    await context.installer.markGood();
  } else if (!(boot.booted === state.slot && boot.active === state.slot)) {
    return { next: { ...state, kind: 'rolling-back', reason: fallbackReason(boot.fallback) } };
  }
  const outcome = { ...eventBase(context, state.update), type: 'committed' as const, slot: state.slot, fromVersion: state.fromVersion };
  context.emit(outcome);
  return { next: { kind: 'committed', update: state.update, window: state.window, outcome } };
}

export async function handleRollingBack(context: StepContext, state: RollingBack): Promise<Transition> {
  const boot = await context.installer.bootState();
  if (boot.trial === state.slot) await context.installer.rollback();
  if (boot.booted === state.slot) {
    context.emit({ ...eventBase(context, state.update), type: 'reboot-requested', slot: state.slot, purpose: 'rollback' });
    await context.host.reboot();
    return { stop: 'reboot' };
  }
  const outcome = {
    ...eventBase(context, state.update),
    type: 'rolled-back' as const,
    slot: state.slot,
    reason: state.reason,
    restoredVersion: boot.slots[boot.booted]?.version ?? 'unknown',
    ...(state.details === undefined ? {} : { details: state.details }),
  };
  context.emit(outcome);
  return { next: { kind: 'failed', update: state.update, window: state.window, outcome } };
}
