/**
 * The append-only rollout history: every operator action, server decision (offer, retry,
 * silence, advance, abort) and device event (download, install, commit, rollback, rejection,
 * cancel acknowledgement) with its code. Rows are only ever inserted.
 *
 * @example
 * await appendHistory(trx, now, [{ rolloutId, kind: 'paused', actor: 'operator' }]);
 * const page = await listHistory(db, rolloutId, { limit: 100 });
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { historyId } from './rollout-ids.js';
import type { HistoryActor, RolloutHistoryRow } from './rollout-tables.js';

export interface HistoryEntry {
  readonly rolloutId: string;
  readonly kind: string;
  readonly actor: HistoryActor;
  readonly deviceId?: string | null;
  readonly phaseIndex?: number | null;
  readonly code?: string | null;
  readonly detail?: Record<string, unknown> | null;
  /** When it happened, if not when it was recorded (device events carry their own time). */
  readonly at?: Date;
}

export interface HistoryView {
  readonly id: string;
  readonly at: string;
  readonly kind: string;
  readonly actor: HistoryActor;
  readonly deviceId: string | null;
  readonly phase: number | null;
  readonly code: string | null;
  readonly detail: Record<string, unknown> | null;
}

export async function appendHistory(db: Kysely<Database>, now: Date, entries: readonly HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('rollout_history')
    .values(
      entries.map((entry) => ({
        id: historyId(now),
        rollout_id: entry.rolloutId,
        at: (entry.at ?? now).toISOString(),
        kind: entry.kind,
        actor: entry.actor,
        device_id: entry.deviceId ?? null,
        phase_index: entry.phaseIndex ?? null,
        code: entry.code ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
      })),
    )
    .execute();
}

/** One page in recording order; pass the last id seen as `after` for the next. */
export async function listHistory(
  db: Kysely<Database>,
  rolloutId: string,
  options: { after?: string | undefined; deviceId?: string | undefined; limit: number },
): Promise<{ events: HistoryView[]; next: string | null }> {
  let query = db.selectFrom('rollout_history').selectAll().where('rollout_id', '=', rolloutId);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  if (options.deviceId !== undefined) query = query.where('device_id', '=', options.deviceId);
  const rows = await query.orderBy('id').limit(options.limit + 1).execute();
  const page = rows.slice(0, options.limit);
  return { events: page.map(toView), next: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null };
}

function toView(row: RolloutHistoryRow): HistoryView {
  return {
    id: row.id,
    at: row.at,
    kind: row.kind,
    actor: row.actor,
    deviceId: row.device_id,
    phase: row.phase_index,
    code: row.code,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  };
}
