/**
 * What a bootloader decides at power-on, as a pure function of the boot-control record and
 * of which slots still hash to their recorded image (U-Boot `bootcount`/`bootlimit`, RAUC's
 * "boot attempts"; verified boot refusing a damaged slot):
 *
 * - trial pending, trial slot intact, attempts left: use one attempt, boot the trial slot;
 * - trial pending but attempts exhausted (never marked good): boot-loop protection, clear the
 *   trial and boot the active slot, remembering `boot-limit`;
 * - trial slot damaged: clear the trial, boot the active slot, remembering `slot-corrupt`;
 * - active slot damaged: boot the other slot if it is intact (and make it active);
 * - no intact slot: nothing can boot (STW_DEVICE_SLOT_CORRUPT).
 */
import { DeviceError } from '../errors.js';
import { otherSlot, type BootFallback, type BootState, type FallbackReason, type SlotName } from './slot-installer.js';

export interface BootOutcome {
  readonly slot: SlotName;
  /** True when this boot is a trial of a new image. */
  readonly trial: boolean;
  /** Set when this boot gave up a slot. */
  readonly fallback: BootFallback | undefined;
}

export function chooseBoot(state: BootState, intact: Readonly<Record<SlotName, boolean>>): { next: BootState; outcome: BootOutcome } {
  if (state.trial !== undefined) {
    const trial = state.trial;
    if (intact[trial] && state.attemptsLeft > 0) {
      const next = { ...state, booted: trial, attemptsLeft: state.attemptsLeft - 1 };
      return { next, outcome: { slot: trial, trial: true, fallback: undefined } };
    }
    const reason: FallbackReason = intact[trial] ? 'boot-limit' : 'slot-corrupt';
    const fallback = { slot: trial, reason };
    return bootActive({ ...state, trial: undefined, attemptsLeft: 0, fallback }, intact, fallback);
  }
  return bootActive(state, intact, undefined);
}

function bootActive(
  state: BootState,
  intact: Readonly<Record<SlotName, boolean>>,
  fallback: BootFallback | undefined,
): { next: BootState; outcome: BootOutcome } {
  if (intact[state.active]) {
    return { next: { ...state, booted: state.active }, outcome: { slot: state.active, trial: false, fallback } };
  }
  const other = otherSlot(state.active);
  if (intact[other]) {
    const lost: BootFallback = { slot: state.active, reason: 'slot-corrupt' };
    return { next: { ...state, active: other, booted: other, fallback: lost }, outcome: { slot: other, trial: false, fallback: lost } };
  }
  throw new DeviceError('STW_DEVICE_SLOT_CORRUPT', 'no slot holds an intact image', { details: { active: state.active } });
}
