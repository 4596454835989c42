/**
 * `installing` and `pending-reboot`: write the inactive slot and mark it for a trial boot
 * (one atomic step in the bootloader record), then ask the host to reboot when it allows.
 * Both handlers first look at the boot state, so resuming after a cut anywhere in them
 * neither repeats a finished step nor skips one.
 */
import { fileChunks } from '../install/index.js';
import type { DeviceState } from './device-state.js';
import { artifactPath, asDeviceError, eventBase, fallbackReason, removeArtifact, type StepContext, type Transition } from './step-context.js';

type Installing = Extract<DeviceState, { kind: 'installing' }>;
type PendingReboot = Extract<DeviceState, { kind: 'pending-reboot' }>;

export async function handleInstalling(context: StepContext, state: Installing): Promise<Transition> {
  const { update, installer } = { update: state.update, installer: context.installer };
  const boot = await installer.bootState();
  const alreadyMarked = boot.trial === state.slot && boot.slots[state.slot]?.sha256 === state.sha256;
  if (!alreadyMarked) {
    try {
      const image = fileChunks(artifactPath(context.config, update));
      await installer.writeInactive({ image, sha256: state.sha256, length: update.length, version: update.version });
      await installer.markInactiveForTrial(context.config.bootAttempts);
    } catch (error) {
      const failure = asDeviceError(error);
      await removeArtifact(context, update);
      const outcome = { ...eventBase(context, update), type: 'install-failed' as const, code: failure.code, details: failure.details };
      context.emit(outcome);
      return { next: { kind: 'failed', update, window: state.window, outcome } };
    }
  }
  context.emit({ ...eventBase(context, update), type: 'installed', slot: state.slot });
  return { next: { ...state, kind: 'pending-reboot' } };
}

export async function handlePendingReboot(context: StepContext, state: PendingReboot): Promise<Transition> {
  await removeArtifact(context, state.update);
  const boot = await context.installer.bootState();
  if (boot.booted === state.slot && boot.trial === state.slot) return { next: { ...state, kind: 'trial-boot' } };
  if (boot.trial === state.slot) {
    if (!(await context.host.canInstallNow())) {
      context.emit({ ...eventBase(context, state.update), type: 'deferred', reason: 'host-busy' });
      return { stop: 'try-later' };
    }
    context.emit({ ...eventBase(context, state.update), type: 'reboot-requested', slot: state.slot, purpose: 'trial' });
    await context.host.reboot();
    return { stop: 'reboot' };
  }
  // Neither running nor pending: the bootloader gave the trial up on its own.
  return { next: { ...state, kind: 'rolling-back', reason: fallbackReason(boot.fallback) } };
}
