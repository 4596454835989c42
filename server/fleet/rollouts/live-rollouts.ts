/**
 * The rollouts a check-in has to consider (active, paused, completed), each with its release
 * and its current phase, in one query: the per-check-in cost grows with the number of such
 * rollouts, never with the number of devices.
 *
 * @example
 * const rollouts = await loadLiveRollouts(db);
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HotQuery } from '../db/hot-query.js';
import type { RetryPolicy } from './progress-transitions.js';
import type { ReleaseFacts } from './release-fit.js';
import type { PhaseKind, RolloutStatus } from './rollout-tables.js';
import { parseSelector, type RolloutSelector } from './selector.js';

export const LIVE_STATUSES: readonly RolloutStatus[] = ['active', 'paused', 'completed'];

export interface LiveRollout {
  readonly id: string;
  readonly status: RolloutStatus;
  readonly createdAt: string;
  readonly targetPath: string;
  readonly release: ReleaseFacts & { readonly length: number; readonly sha256: string; readonly sha512: string | null };
  readonly selector: RolloutSelector;
  readonly window: { readonly start: string; readonly end: string } | null;
  readonly retry: RetryPolicy;
  readonly silentTimeoutSeconds: number;
  readonly cohortBp: number;
  readonly cohortPhase: number | null;
  readonly currentPhase: { readonly index: number; readonly kind: PhaseKind; readonly value: number; readonly admitted: number };
  readonly timeoutsCheckedAt: string | null;
}

/** Compiled once per dialect (the check-in path runs it on every check-in); parameters: LIVE_STATUSES. */
const liveRolloutsQuery = new HotQuery(
  (db) =>
    db
      .selectFrom('rollouts as r')
      .innerJoin('releases as rel', 'rel.target_path', 'r.target_path')
      .leftJoin('blobs as b', 'b.sha256', 'rel.sha256')
      .innerJoin('rollout_phases as p', (join) => join.onRef('p.rollout_id', '=', 'r.id').onRef('p.phase_index', '=', 'r.current_phase'))
      .select([
        'r.id', 'r.status', 'r.created_at', 'r.target_path', 'r.selector', 'r.window_start', 'r.window_end',
        'r.retry_max_attempts', 'r.retry_backoff_seconds', 'r.silent_timeout_seconds', 'r.cohort_bp', 'r.cohort_phase', 'r.timeouts_checked_at',
        'rel.component', 'rel.version', 'rel.hardware_ids', 'rel.min_from_version', 'rel.length', 'rel.sha256', 'b.sha512',
        'p.phase_index', 'p.kind', 'p.value', 'p.admitted',
      ])
      .where('r.status', 'in', LIVE_STATUSES)
      .orderBy('r.created_at')
      .orderBy('r.id'),
  LIVE_STATUSES.length,
);

export async function loadLiveRollouts(db: Kysely<Database>): Promise<LiveRollout[]> {
  const rows = await liveRolloutsQuery.execute(db, LIVE_STATUSES);
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    createdAt: row.created_at,
    targetPath: row.target_path,
    release: {
      component: row.component,
      version: row.version,
      hardwareIds: JSON.parse(row.hardware_ids) as string[],
      minFromVersion: row.min_from_version,
      length: Number(row.length),
      sha256: row.sha256,
      sha512: row.sha512,
    },
    selector: parseSelector(row.selector),
    window: row.window_start !== null && row.window_end !== null ? { start: row.window_start, end: row.window_end } : null,
    retry: { maxAttempts: row.retry_max_attempts, backoffSeconds: row.retry_backoff_seconds },
    silentTimeoutSeconds: row.silent_timeout_seconds,
    cohortBp: row.cohort_bp,
    cohortPhase: row.cohort_phase,
    currentPhase: { index: row.phase_index, kind: row.kind, value: row.value, admitted: row.admitted },
    timeoutsCheckedAt: row.timeouts_checked_at,
  }));
}
