/**
 * A rollout as the operator API shows it: definition, status, per-phase counters with their
 * success ratio, the rollout-wide failure ratio next to the abort threshold, and (for one
 * rollout) how many devices are in each progress state.
 *
 * @example
 * const view = await getRollout(db, 'rol_...', { states: true });
 * if (view && view.totals.failureRatio !== null && view.totals.failureRatio >= view.abort.failureRatio) ...
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { toNumber } from '../../db/to-number.js';
import { fromBasisPoints } from './basis-points.js';
import type { AdvanceMode, PhaseKind, ProgressState, RolloutPhaseRow, RolloutRow, RolloutStatus } from './rollout-tables.js';
import { parseSelector, type RolloutSelector } from './selector.js';

export const PROGRESS_STATES: readonly ProgressState[] = ['offered', 'downloading', 'installing', 'succeeded', 'failed', 'rolled-back', 'cancelled', 'cancel-acknowledged'];

export interface Counters {
  readonly admitted: number;
  readonly attempted: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timedOut: number;
}

export interface PhaseView extends Counters {
  readonly index: number;
  readonly kind: PhaseKind;
  /** percent: cumulative percentage of the selected devices; count: devices. */
  readonly value: number;
  readonly advance: AdvanceMode;
  readonly successThreshold: number;
  readonly minAttempted: number;
  /** succeeded / attempted, null before any attempt. */
  readonly successRatio: number | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

export interface RolloutView {
  readonly id: string;
  readonly label: string;
  readonly targetPath: string;
  readonly release: { readonly component: string; readonly version: string; readonly hardwareIds: string[] };
  readonly status: RolloutStatus;
  readonly currentPhase: number;
  readonly selector: { [Kind in keyof RolloutSelector]?: string[] };
  readonly maintenanceWindow: { readonly start: string; readonly end: string } | null;
  readonly abort: { readonly minAttempted: number; readonly failureRatio: number };
  readonly silentTimeoutSeconds: number;
  readonly retry: { readonly maxAttempts: number; readonly backoffSeconds: number };
  readonly phases: PhaseView[];
  readonly totals: Counters & { readonly failureRatio: number | null; readonly abortArmed: boolean };
  /** Devices per progress state (single-rollout reads only). */
  readonly states?: Readonly<Record<ProgressState, number>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When it completed, was aborted or cancelled. */
  readonly endedAt: string | null;
}

type ReleaseColumns = { component: string; version: string; hardware_ids: string };

export async function getRollout(db: Kysely<Database>, id: string, options: { states?: boolean } = {}): Promise<RolloutView | undefined> {
  const row = await db.selectFrom('rollouts as r').innerJoin('releases as rel', 'rel.target_path', 'r.target_path').selectAll('r').select(['rel.component', 'rel.version', 'rel.hardware_ids']).where('r.id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const phases = await db.selectFrom('rollout_phases').selectAll().where('rollout_id', '=', id).orderBy('phase_index').execute();
  const view = toView(row, phases);
  if (!options.states) return view;
  const counts = await db.selectFrom('rollout_devices').select((eb) => ['state', eb.fn.countAll().as('n')]).where('rollout_id', '=', id).groupBy('state').execute();
  const states = Object.fromEntries(PROGRESS_STATES.map((state) => [state, 0])) as Record<ProgressState, number>;
  for (const count of counts) states[count.state] = toNumber(count.n);
  return { ...view, states };
}

/** Newest first, at most `limit`. */
export async function listRollouts(db: Kysely<Database>, options: { status?: RolloutStatus | undefined; limit: number }): Promise<RolloutView[]> {
  let query = db.selectFrom('rollouts as r').innerJoin('releases as rel', 'rel.target_path', 'r.target_path').selectAll('r').select(['rel.component', 'rel.version', 'rel.hardware_ids']);
  if (options.status) query = query.where('r.status', '=', options.status);
  const rows = await query.orderBy('r.created_at', 'desc').orderBy('r.id').limit(options.limit).execute();
  if (rows.length === 0) return [];
  const phases = await db.selectFrom('rollout_phases').selectAll().where('rollout_id', 'in', rows.map((row) => row.id)).orderBy('phase_index').execute();
  return rows.map((row) => toView(row, phases.filter((phase) => phase.rollout_id === row.id)));
}

function toView(row: RolloutRow & ReleaseColumns, phases: readonly RolloutPhaseRow[]): RolloutView {
  const started = JSON.parse(row.phase_started_at) as string[];
  const phaseViews = phases.map((phase) => phaseView(phase, started[phase.phase_index] ?? null, started[phase.phase_index + 1] ?? (phase.phase_index === row.current_phase ? row.ended_at : null)));
  const sum = (key: keyof Counters) => phaseViews.reduce((n, phase) => n + phase[key], 0);
  const totals = { admitted: sum('admitted'), attempted: sum('attempted'), succeeded: sum('succeeded'), failed: sum('failed'), timedOut: sum('timedOut') };
  return {
    id: row.id,
    label: row.label,
    targetPath: row.target_path,
    release: { component: row.component, version: row.version, hardwareIds: JSON.parse(row.hardware_ids) as string[] },
    status: row.status,
    currentPhase: row.current_phase,
    selector: Object.fromEntries(Object.entries(parseSelector(row.selector)).map(([kind, values]) => [kind, [...(values as string[])]])),
    maintenanceWindow: row.window_start !== null && row.window_end !== null ? { start: row.window_start, end: row.window_end } : null,
    abort: { minAttempted: row.abort_min_attempted, failureRatio: fromBasisPoints(row.abort_failure_ratio_bp, 1) },
    silentTimeoutSeconds: row.silent_timeout_seconds,
    retry: { maxAttempts: row.retry_max_attempts, backoffSeconds: row.retry_backoff_seconds },
    phases: phaseViews,
    totals: { ...totals, failureRatio: totals.attempted === 0 ? null : totals.failed / totals.attempted, abortArmed: totals.attempted >= row.abort_min_attempted },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
  };
}

function phaseView(phase: RolloutPhaseRow, startedAt: string | null, endedAt: string | null): PhaseView {
  return {
    index: phase.phase_index,
    kind: phase.kind,
    value: phase.kind === 'percent' ? fromBasisPoints(phase.value, 100) : phase.value,
    advance: phase.advance,
    successThreshold: fromBasisPoints(phase.success_threshold_bp, 1),
    minAttempted: phase.min_attempted,
    admitted: phase.admitted,
    attempted: phase.attempted,
    succeeded: phase.succeeded,
    failed: phase.failed,
    timedOut: phase.timed_out,
    successRatio: phase.attempted === 0 ? null : phase.succeeded / phase.attempted,
    startedAt,
    endedAt,
  };
}
