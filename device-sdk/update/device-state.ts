/**
 * The persisted state of one update: a union keyed by `kind` (Mender `app/state.go`).
 * Each variant carries what its handler needs to resume after a power cut, and nothing is
 * kept only in memory. See update-machine.ts for the transitions.
 */
import type { InstallWindow } from '../../manifests/index.js';
import type { SlotName } from '../install/index.js';
import type { UpdateDescriptor } from './update-descriptor.js';
import type { CommittedEvent, OutcomeEvent, RollbackReason } from './update-event.js';

interface Current {
  readonly update: UpdateDescriptor;
  readonly window: InstallWindow | undefined;
}

interface Placed extends Current {
  /** SHA-256 of the artifact (computed while verifying when only SHA-512 was published). */
  readonly sha256: string;
  /** The slot receiving the image. */
  readonly slot: SlotName;
  /** The version running before this update. */
  readonly fromVersion: string;
}

export type DeviceState =
  | { readonly kind: 'idle' }
  | (Current & { readonly kind: 'downloading'; readonly runs: number })
  | (Current & { readonly kind: 'verifying'; readonly runs: number; readonly sha256: string | undefined })
  | (Placed & { readonly kind: 'installing' })
  | (Placed & { readonly kind: 'pending-reboot' })
  | (Placed & { readonly kind: 'trial-boot' })
  | (Placed & { readonly kind: 'rolling-back'; readonly reason: RollbackReason; readonly details?: Record<string, unknown> })
  | (Current & { readonly kind: 'committed'; readonly outcome: CommittedEvent })
  | (Current & { readonly kind: 'failed'; readonly outcome: OutcomeEvent });

export type DeviceStateKind = DeviceState['kind'];

export const deviceStateKinds: readonly DeviceStateKind[] = [
  'idle',
  'downloading',
  'verifying',
  'installing',
  'pending-reboot',
  'trial-boot',
  'rolling-back',
  'committed',
  'failed',
];

/** The state once an update is under way; `idle` has no update. */
export type ActiveState = Exclude<DeviceState, { kind: 'idle' }>;
