/**
 * `SlotInstaller`: the seam between the update state machine and a bootloader with two
 * system slots (A/B). It names only what a bootloader offers, in the terms of RAUC
 * (`rauc status`, `mark-active`, `mark-good`, `mark-bad`) and U-Boot's bootcount
 * (`upgrade_available`, `bootlimit`):
 *
 * - `bootState()`: which slot is the known-good one, which one the running system came
 *   from, whether a trial boot is pending and how many attempts it has left.
 * - `writeInactive()`: stream an image into the slot that is neither active nor booted.
 * - `markInactiveForTrial()`: one atomic step that makes the bootloader try that slot on the
 *   next boots, at most `attempts` times.
 * - `markGood()`: the trial slot works; it becomes the active slot (commit).
 * - `rollback()`: abandon the trial; the next boot returns to the active slot.
 *
 * The running system never writes its own slot, and nothing but `markInactiveForTrial` and
 * `markGood` changes what boots, each in one atomic step: that is the whole crash guarantee.
 */
export type SlotName = 'a' | 'b';

/** What a slot holds, as recorded by the installer after writing and verifying it. */
export interface SlotImage {
  /** SHA-256 of the slot's bytes, lower-case hex; a slot that no longer hashes to it never boots. */
  readonly sha256: string;
  readonly length: number;
  readonly version: string;
}

export type FallbackReason = 'boot-limit' | 'slot-corrupt';

/** Why the bootloader last gave up a trial slot (cleared when a new trial is marked). */
export interface BootFallback {
  readonly slot: SlotName;
  readonly reason: FallbackReason;
}

export interface BootState {
  /** The known-good slot: booted when no trial is pending, and the fallback of any trial. */
  readonly active: SlotName;
  /** The slot the running system booted from. */
  readonly booted: SlotName;
  /** The slot marked for a trial boot, until it is marked good or abandoned. */
  readonly trial: SlotName | undefined;
  /** Trial boots left before the bootloader falls back to `active`. */
  readonly attemptsLeft: number;
  readonly slots: Readonly<Record<SlotName, SlotImage | undefined>>;
  readonly fallback: BootFallback | undefined;
}

/** The image to write and what it must be. */
export interface SlotWriteRequest {
  readonly image: AsyncIterable<Uint8Array>;
  readonly sha256: string;
  readonly length: number;
  readonly version: string;
}

export interface SlotInstaller {
  bootState(): Promise<BootState>;
  /** The slot `writeInactive` would write: the one other than the active slot. */
  inactiveSlot(): Promise<SlotName>;
  /** Stream an image into the inactive slot, hashing as it goes; throws unless it matches. */
  writeInactive(request: SlotWriteRequest): Promise<SlotImage>;
  /** Atomically: boot the inactive slot next, for at most `attempts` boots without `markGood`. */
  markInactiveForTrial(attempts: number): Promise<void>;
  /** The booted trial slot is good: make it active. Idempotent. */
  markGood(): Promise<void>;
  /** Abandon a pending trial: the next boot is the active slot. Idempotent. */
  rollback(): Promise<void>;
}

export function otherSlot(slot: SlotName): SlotName {
  return slot === 'a' ? 'b' : 'a';
}
