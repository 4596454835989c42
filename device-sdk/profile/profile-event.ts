/**
 * What applying a profile reports. The terminal acknowledges `appliedVersion()` on check-in;
 * these events tell the server why a version was not applied.
 */
import type { DeviceErrorCode } from '../errors.js';

interface ProfileEventBase {
  /** ISO 8601 time from the applier's clock. */
  readonly at: string;
}

export type ProfileEvent =
  | (ProfileEventBase & { readonly type: 'applied'; readonly version: number; readonly previousVersion: number | undefined })
  | (ProfileEventBase & { readonly type: 'unchanged'; readonly version: number })
  | (ProfileEventBase & { readonly type: 'deferred'; readonly version: number; readonly reason: 'host-busy' })
  | (ProfileEventBase & {
      readonly type: 'rolled-back';
      readonly version: number;
      /** The version in force again (undefined when there was none before). */
      readonly restoredVersion: number | undefined;
      readonly reason: Extract<DeviceErrorCode, 'STW_DEVICE_PROFILE_CHECK_FAILED'>;
      readonly details?: Record<string, unknown>;
    })
  | (ProfileEventBase & {
      readonly type: 'rejected';
      readonly version: number | undefined;
      readonly code: Extract<DeviceErrorCode, 'STW_DEVICE_PROFILE_INVALID' | 'STW_DEVICE_DOWNGRADE'>;
      readonly details?: Record<string, unknown>;
    })
  /** A power cut fell before the new profile was in place: the previous one stayed in force. */
  | (ProfileEventBase & { readonly type: 'interrupted'; readonly version: number; readonly restoredVersion: number | undefined });
