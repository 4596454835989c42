/**
 * The rollout tables: rollouts, their phases with outcome counters, per-device progress, and
 * the append-only rollout history.
 *
 * Frozen in time: never import application code here, never edit after release; change the
 * schema with a new, later-dated migration. Portable to SQLite and PostgreSQL: text ids,
 * ISO-8601 text timestamps set by the application, JSON as text, ratios as integer basis points.
 * Device ids are not foreign keys: progress rows outlive a device's enrolment record.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations see no application types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rollouts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('target_path', 'text', (col) => col.notNull().references('releases.target_path').onDelete('restrict'))
    .addColumn('selector', 'text', (col) => col.notNull())
    .addColumn('window_start', 'text')
    .addColumn('window_end', 'text')
    .addColumn('abort_min_attempted', 'integer', (col) => col.notNull())
    .addColumn('abort_failure_ratio_bp', 'integer', (col) => col.notNull())
    .addColumn('silent_timeout_seconds', 'integer', (col) => col.notNull())
    .addColumn('retry_max_attempts', 'integer', (col) => col.notNull())
    .addColumn('retry_backoff_seconds', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('current_phase', 'integer', (col) => col.notNull())
    .addColumn('phase_count', 'integer', (col) => col.notNull())
    .addColumn('cohort_bp', 'integer', (col) => col.notNull())
    .addColumn('cohort_phase', 'integer')
    .addColumn('phase_started_at', 'text', (col) => col.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('timeouts_checked_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addCheckConstraint('rollouts_status_check', sql`status in ('active', 'paused', 'completed', 'aborted', 'cancelled')`)
    .addCheckConstraint('rollouts_phase_check', sql`current_phase >= 0 and current_phase < phase_count`)
    .addCheckConstraint('rollouts_ratio_check', sql`abort_failure_ratio_bp between 1 and 10000 and cohort_bp between 0 and 10000`)
    .execute();
  await db.schema.createIndex('rollouts_status_idx').on('rollouts').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('rollout_phases')
    .addColumn('rollout_id', 'text', (col) => col.notNull().references('rollouts.id').onDelete('cascade'))
    .addColumn('phase_index', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('value', 'integer', (col) => col.notNull())
    .addColumn('advance', 'text', (col) => col.notNull())
    .addColumn('success_threshold_bp', 'integer', (col) => col.notNull())
    .addColumn('min_attempted', 'integer', (col) => col.notNull())
    .addColumn('admitted', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('attempted', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('succeeded', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('timed_out', 'integer', (col) => col.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('rollout_phases_pkey', ['rollout_id', 'phase_index'])
    .addCheckConstraint('rollout_phases_kind_check', sql`kind in ('percent', 'count') and advance in ('auto', 'manual')`)
    // A count phase never admits more than its count, whatever the concurrency.
    .addCheckConstraint('rollout_phases_admitted_check', sql`admitted >= 0 and (kind <> 'count' or admitted <= value)`)
    .addCheckConstraint('rollout_phases_counters_check', sql`attempted >= 0 and succeeded >= 0 and failed >= 0 and timed_out >= 0`)
    .execute();

  await db.schema
    .createTable('rollout_devices')
    .addColumn('rollout_id', 'text', (col) => col.notNull().references('rollouts.id').onDelete('cascade'))
    .addColumn('device_id', 'text', (col) => col.notNull())
    .addColumn('phase_index', 'integer', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('revision', 'integer', (col) => col.notNull())
    .addColumn('attempted', 'integer', (col) => col.notNull())
    .addColumn('outcome', 'text')
    .addColumn('offered_at', 'text', (col) => col.notNull())
    .addColumn('last_event_at', 'text', (col) => col.notNull())
    .addColumn('retry_at', 'text')
    .addColumn('last_code', 'text')
    .addPrimaryKeyConstraint('rollout_devices_pkey', ['rollout_id', 'device_id'])
    .addCheckConstraint(
      'rollout_devices_state_check',
      sql`state in ('offered', 'downloading', 'installing', 'succeeded', 'failed', 'rolled-back', 'cancelled', 'cancel-acknowledged')`,
    )
    .execute();
  await db.schema.createIndex('rollout_devices_device_idx').on('rollout_devices').column('device_id').execute();
  // Silent-device sweeps: in-flight devices of one rollout, oldest news first.
  await db.schema.createIndex('rollout_devices_silence_idx').on('rollout_devices').columns(['rollout_id', 'state', 'last_event_at']).execute();

  await db.schema
    .createTable('rollout_history')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('rollout_id', 'text', (col) => col.notNull().references('rollouts.id').onDelete('cascade'))
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('device_id', 'text')
    .addColumn('phase_index', 'integer')
    .addColumn('code', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('rollout_history_rollout_idx').on('rollout_history').columns(['rollout_id', 'id']).execute();
  await db.schema.createIndex('rollout_history_device_idx').on('rollout_history').columns(['device_id', 'id']).execute();
}
