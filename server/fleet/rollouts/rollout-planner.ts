/**
 * The seam between the check-in/director code and rollouts: what rollouts want one device to
 * run now, and where the device's reported events go. The implementation is
 * `createRolloutPlanner()` (`planner.ts`).
 *
 * @example
 * const plan = await planner.planFor(db, facts, clock());
 * // plan.images -> director targets (kind "image"); plan.cancelledRollouts -> custom.cancelled_rollouts
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { InstallWindow } from '../../../manifests/index.js';

export interface DeviceFacts {
  readonly deviceId: string;
  readonly hardwareModel: string;
  readonly merchantId: string | null;
  readonly tags: readonly string[];
  /** IANA zone of the device's merchant (maintenance windows are in merchant time); 'UTC' when unknown. */
  readonly timeZone: string;
  /** component -> installed version, as last reported. */
  readonly installed: ReadonlyMap<string, string>;
}

export interface PlannedImage {
  readonly rolloutId: string;
  readonly targetPath: string;
  readonly component: string;
  readonly version: string;
  readonly length: number;
  readonly hashes: { readonly sha256: string; readonly sha512?: string };
  readonly hardwareId: string;
  readonly installWindow: InstallWindow | undefined;
}

export interface DevicePlan {
  readonly images: readonly PlannedImage[];
  /** Rollouts cancelled after this device was offered their release and not yet acknowledged. */
  readonly cancelledRollouts: readonly string[];
}

export interface DeviceEventRecord {
  readonly id: string;
  readonly kind: string; // protocol.md section 3 event kinds
  readonly at: Date;
  readonly rolloutId?: string | undefined;
  readonly targetPath?: string | undefined;
  readonly version?: string | undefined;
  readonly code?: string | null | undefined;
}

export interface RolloutPlanner {
  /** What rollouts want this device to run now. Constant work per active rollout; nothing precomputed per device. */
  planFor(db: Kysely<Database>, device: DeviceFacts, now: Date): Promise<DevicePlan>;
  /** New (already de-duplicated) events from one device: update per-device progress and the phase counters atomically. */
  recordEvents(db: Kysely<Database>, deviceId: string, events: readonly DeviceEventRecord[], now: Date): Promise<void>;
}
