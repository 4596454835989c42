/**
 * Tables of rollouts, their phases, per-device progress and history, as the application sees
 * them (see migrations/2026-11-28-003-rollouts.ts). Ratios are integer basis points (1/10,000)
 * so that thresholds compare exactly on both dialects; timestamps are ISO-8601 UTC text.
 */
import type { Insertable, Selectable } from 'kysely';

export type RolloutStatus = 'active' | 'paused' | 'completed' | 'aborted' | 'cancelled';
export type PhaseKind = 'percent' | 'count';
export type AdvanceMode = 'auto' | 'manual';
export type ProgressState = 'offered' | 'downloading' | 'installing' | 'succeeded' | 'failed' | 'rolled-back' | 'cancelled' | 'cancel-acknowledged';
/** What a device currently contributes to its phase's outcome counters. */
export type ProgressOutcome = 'succeeded' | 'failed' | 'timed-out';
export type HistoryActor = 'operator' | 'device' | 'server';

export interface RolloutsTable {
  /** `rol_<uuid>` */
  id: string;
  label: string;
  /** A published release (`releases.target_path`). */
  target_path: string;
  /** JSON: `{ hardwareModels?, tags?, merchantIds?, deviceIds? }`. */
  selector: string;
  /** Maintenance window, local `HH:MM` in each device's merchant time zone; both null when none. */
  window_start: string | null;
  window_end: string | null;
  abort_min_attempted: number;
  abort_failure_ratio_bp: number;
  silent_timeout_seconds: number;
  retry_max_attempts: number;
  retry_backoff_seconds: number;
  status: RolloutStatus;
  current_phase: number;
  phase_count: number;
  /** Share of the hash space [0, 10000) admitted by the percent phases up to the current one. */
  cohort_bp: number;
  /** The latest percent phase up to the current one (devices of the hash cohort count there); null before any. */
  cohort_phase: number | null;
  /** JSON array: when each phase reached so far started (index = phase). */
  phase_started_at: string;
  /** When the rollout completed, was aborted or cancelled. */
  ended_at: string | null;
  /** When a replica last looked for silent devices of this rollout. */
  timeouts_checked_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RolloutPhasesTable {
  rollout_id: string;
  phase_index: number;
  kind: PhaseKind;
  /** percent: cumulative share in basis points (1000 = 10%); count: devices admitted in this phase. */
  value: number;
  advance: AdvanceMode;
  success_threshold_bp: number;
  min_attempted: number;
  admitted: number;
  attempted: number;
  succeeded: number;
  failed: number;
  timed_out: number;
}

export interface RolloutDevicesTable {
  rollout_id: string;
  device_id: string;
  /** The phase that admitted the device (its counters are that phase's). */
  phase_index: number;
  state: ProgressState;
  attempts: number;
  /** Bumped by every change: the compare-and-set token that makes each transition count once. */
  revision: number;
  /** 1 once counted in the phase's `attempted`. */
  attempted: number;
  outcome: ProgressOutcome | null;
  offered_at: string;
  last_event_at: string;
  /** When a failed device may be offered again; null when it may not. */
  retry_at: string | null;
  last_code: string | null;
}

export interface RolloutHistoryTable {
  id: string;
  rollout_id: string;
  at: string;
  kind: string;
  actor: HistoryActor;
  device_id: string | null;
  phase_index: number | null;
  code: string | null;
  /** JSON object or null. */
  detail: string | null;
}

export interface RolloutTables {
  rollouts: RolloutsTable;
  rollout_phases: RolloutPhasesTable;
  rollout_devices: RolloutDevicesTable;
  rollout_history: RolloutHistoryTable;
}

export type RolloutRow = Selectable<RolloutsTable>;
export type NewRollout = Insertable<RolloutsTable>;
export type RolloutPhaseRow = Selectable<RolloutPhasesTable>;
export type RolloutDeviceRow = Selectable<RolloutDevicesTable>;
export type RolloutHistoryRow = Selectable<RolloutHistoryTable>;
