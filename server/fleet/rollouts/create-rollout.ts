/**
 * Creating a rollout: the release must be published (a row in `releases`), the plan must
 * make sense, and the rollout starts active in its first phase.
 *
 * Phases: `percent` phases name the cumulative share of the selected devices reached once
 * the phase starts (strictly increasing: 1, 10, 100); `count` phases admit that many more
 * devices, first come first served. A percent value has at most two decimals (basis points).
 *
 * @example
 * const view = await createRollout(db, { targetPath: 'acme/t100-fw-1.2.0.bin', phases: [{ kind: 'count', value: 5 }, { kind: 'percent', value: 100 }] }, now);
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { stewardError } from '../../errors.js';
import { atomically } from '../../db/atomically.js';
import { toBasisPoints } from './basis-points.js';
import { rolloutDefaults } from './rollout-config.js';
import { appendHistory } from './rollout-history.js';
import { newRolloutId } from './rollout-ids.js';
import type { AdvanceMode, PhaseKind } from './rollout-tables.js';
import { getRollout, type RolloutView } from './rollout-view.js';
import { normaliseSelector, type RolloutSelector } from './selector.js';

export interface PhaseInput {
  readonly kind: PhaseKind;
  readonly value: number;
  readonly advance?: AdvanceMode | undefined;
  /** 0..1 of attempted devices that must succeed (auto advance). */
  readonly successThreshold?: number | undefined;
  readonly minAttempted?: number | undefined;
}

export interface CreateRolloutInput {
  readonly targetPath: string;
  readonly label?: string | undefined;
  readonly selector?: RolloutSelector | undefined;
  readonly phases: readonly PhaseInput[];
  readonly maintenanceWindow?: { readonly start: string; readonly end: string } | undefined;
  readonly abort?: { readonly minAttempted?: number | undefined; readonly failureRatio?: number | undefined } | undefined;
  readonly silentTimeoutSeconds?: number | undefined;
  readonly retry?: { readonly maxAttempts?: number | undefined; readonly backoffSeconds?: number | undefined } | undefined;
}

export async function createRollout(db: Kysely<Database>, input: CreateRolloutInput, now: Date): Promise<RolloutView> {
  const release = await db.selectFrom('releases').select(['hardware_ids']).where('target_path', '=', input.targetPath).executeTakeFirst();
  if (!release) throw stewardError('STW_ROLLOUT_RELEASE_UNKNOWN', `${input.targetPath} is not a published release`, { targetPath: input.targetPath });
  const selector = normaliseSelector(input.selector);
  const hardwareIds = JSON.parse(release.hardware_ids) as string[];
  if (selector.hardwareModels && !selector.hardwareModels.some((model) => hardwareIds.includes(model))) {
    throw invalid('selector.hardwareModels', 'names no hardware model the release runs on', { hardwareIds });
  }
  const window = input.maintenanceWindow;
  if (window && window.start === window.end) throw invalid('maintenanceWindow', 'is empty (start equals end)');
  const phases = input.phases.map((phase, index) => phaseRow(phase, index));
  phases.forEach((phase, index) => {
    const earlier = phases.slice(0, index).filter((candidate) => candidate.kind === 'percent').at(-1);
    if (phase.kind === 'percent' && earlier && phase.value <= earlier.value) throw invalid(`phases[${index}].value`, 'must exceed the previous percent phase (percentages are cumulative)');
  });
  const abortRatio = ratio(input.abort?.failureRatio ?? rolloutDefaults.abortFailureRatio, 'abort.failureRatio');
  const first = phases[0];
  if (!first) throw invalid('phases', 'must name at least one phase');

  const id = newRolloutId();
  const at = now.toISOString();
  await atomically(db, async (trx) => {
    await trx
      .insertInto('rollouts')
      .values({
        id,
        label: input.label ?? '',
        target_path: input.targetPath,
        selector: JSON.stringify(selector),
        window_start: window?.start ?? null,
        window_end: window?.end ?? null,
        abort_min_attempted: input.abort?.minAttempted ?? rolloutDefaults.abortMinAttempted,
        abort_failure_ratio_bp: abortRatio,
        silent_timeout_seconds: input.silentTimeoutSeconds ?? rolloutDefaults.silentTimeoutSeconds,
        retry_max_attempts: input.retry?.maxAttempts ?? rolloutDefaults.retryMaxAttempts,
        retry_backoff_seconds: input.retry?.backoffSeconds ?? rolloutDefaults.retryBackoffSeconds,
        status: 'active',
        current_phase: 0,
        phase_count: phases.length,
        cohort_bp: first.kind === 'percent' ? first.value : 0,
        cohort_phase: first.kind === 'percent' ? 0 : null,
        phase_started_at: JSON.stringify([at]),
        ended_at: null,
        timeouts_checked_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await trx
      .insertInto('rollout_phases')
      .values(phases.map((phase) => ({ ...phase, rollout_id: id, admitted: 0, attempted: 0, succeeded: 0, failed: 0, timed_out: 0 })))
      .execute();
    await appendHistory(trx, now, [{ rolloutId: id, kind: 'created', actor: 'operator', phaseIndex: 0, detail: { targetPath: input.targetPath } }]);
  });
  const view = await getRollout(db, id, { states: true });
  if (!view) throw stewardError('STW_INTERNAL', `rollout ${id} vanished after creation`);
  return view;
}

function phaseRow(phase: PhaseInput, index: number) {
  const where = `phases[${index}]`;
  let value: number;
  if (phase.kind === 'percent') {
    const bp = toBasisPoints(phase.value, 100);
    if (bp === undefined || bp < 1 || bp > 10_000) throw invalid(`${where}.value`, 'must be a percentage above 0 and at most 100, with at most two decimals');
    value = bp;
  } else {
    if (!Number.isSafeInteger(phase.value) || phase.value < 1) throw invalid(`${where}.value`, 'must be a whole number of devices, at least 1');
    value = phase.value;
  }
  const minAttempted = phase.minAttempted ?? (phase.kind === 'count' ? phase.value : rolloutDefaults.percentMinAttempted);
  return {
    phase_index: index,
    kind: phase.kind,
    value,
    advance: phase.advance ?? 'auto',
    success_threshold_bp: ratio(phase.successThreshold ?? rolloutDefaults.successThreshold, `${where}.successThreshold`),
    min_attempted: minAttempted,
  } as const;
}

function ratio(value: number, field: string): number {
  const bp = toBasisPoints(value, 1);
  if (bp === undefined || bp < 1 || bp > 10_000) throw invalid(field, 'must be a ratio above 0 and at most 1, with at most four decimals');
  return bp;
}

function invalid(field: string, problem: string, details: Record<string, unknown> = {}) {
  return stewardError('STW_ROLLOUT_INVALID', `${field} ${problem}`, { field, ...details });
}
