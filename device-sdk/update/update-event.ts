/**
 * What the update state machine reports. The agent forwards these to the server; the
 * terminal outcomes (`committed`, `rolled-back`, `rejected`, `install-failed`, `cancelled`)
 * are also kept in the persisted state until acknowledged, so a power cut between the outcome
 * and its report loses nothing.
 */
import type { DeviceErrorCode } from '../errors.js';
import type { SlotName } from '../install/index.js';

/** Why a trial slot was abandoned. */
export type RollbackReason = Extract<DeviceErrorCode, 'STW_DEVICE_HEALTH_CHECK_FAILED' | 'STW_DEVICE_BOOT_LIMIT' | 'STW_DEVICE_SLOT_CORRUPT'>;

export type DeferReason = 'outside-window' | 'host-busy';

interface EventBase {
  readonly targetName: string;
  readonly version: string;
  readonly component: string;
  /** ISO 8601 time from the machine's clock. */
  readonly at: string;
}

export type CommittedEvent = EventBase & { readonly type: 'committed'; readonly slot: SlotName; readonly fromVersion: string };
export type RolledBackEvent = EventBase & {
  readonly type: 'rolled-back';
  readonly slot: SlotName;
  readonly reason: RollbackReason;
  /** The version running again. */
  readonly restoredVersion: string;
  readonly details?: Record<string, unknown>;
};
/** Refused before any slot was touched (download or verification failed for good). */
export type RejectedEvent = EventBase & { readonly type: 'rejected'; readonly code: DeviceErrorCode; readonly details?: Record<string, unknown> };
/** Writing the inactive slot failed; the running slot was never at risk. */
export type InstallFailedEvent = EventBase & { readonly type: 'install-failed'; readonly code: DeviceErrorCode; readonly details?: Record<string, unknown> };
export type CancelledEvent = EventBase & { readonly type: 'cancelled' };

export type OutcomeEvent = CommittedEvent | RolledBackEvent | RejectedEvent | InstallFailedEvent | CancelledEvent;

export type ProgressEvent =
  | (EventBase & { readonly type: 'downloaded'; readonly fetchedBytes: number; readonly resumedFrom: number })
  | (EventBase & { readonly type: 'download-interrupted'; readonly code: DeviceErrorCode; readonly runs: number })
  | (EventBase & { readonly type: 'deferred'; readonly reason: DeferReason })
  | (EventBase & { readonly type: 'installed'; readonly slot: SlotName })
  | (EventBase & { readonly type: 'reboot-requested'; readonly slot: SlotName; readonly purpose: 'trial' | 'rollback' });

export type UpdateEvent = ProgressEvent | OutcomeEvent;
