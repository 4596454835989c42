/**
 * Writes what a check-in reported: the device's latest state (last seen, health, installed,
 * profile version, flags) and, when the reported state changed or the last history row is
 * older than the history interval, a row of check-in history. Group-committed: the
 * check-ins that arrive while a batch is written go together in the next transaction, which
 * commits with relaxed durability (server/db/relaxed-durability.ts): the device repeats all
 * of it at its next check-in, and its events are stored apart, fully durable.
 *
 * @example
 * await writer.record({ deviceId, at, health, installed, firmwareVersion, profileVersion, flags, stateHash, history: true });
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { withRelaxedDurability } from '../../db/relaxed-durability.js';
import type { Database } from '../../db/schema.js';
import { WriteCoalescer, type WriteCoalescerOptions } from '../batch/write-coalescer.js';
import type { HealthFlags } from '../devices/device-record.js';

export interface CheckInWrite {
  readonly deviceId: string;
  /** ISO-8601. */
  readonly at: string;
  /** JSON text; undefined when the device reported none (the latest stays). */
  readonly health: string | undefined;
  /** JSON text. */
  readonly installed: string;
  readonly firmwareVersion: string | null;
  readonly profileVersion: number | null;
  readonly flags: HealthFlags;
  readonly stateHash: string;
  /** Also append a check-in history row. */
  readonly history: boolean;
}

const HISTORY_ROWS_PER_STATEMENT = 100;
/** 13 parameters a row: well under SQLite's and PostgreSQL's limits. */
const UPDATE_ROWS_PER_STATEMENT = 200;

export class CheckInWriter {
  readonly #db: Kysely<Database>;
  readonly #coalescer: WriteCoalescer<CheckInWrite, void>;
  constructor(db: Kysely<Database>, options: Partial<WriteCoalescerOptions> = {}) {
    this.#db = db;
    this.#coalescer = new WriteCoalescer((writes) => this.#write(writes), { maxBatch: 256, ...options });
  }

  record(write: CheckInWrite): Promise<void> {
    return this.#coalescer.submit(write);
  }

  async #write(writes: readonly CheckInWrite[]): Promise<void[]> {
    // Telemetry the device repeats at its next check-in: commit without waiting for the disk.
    await withRelaxedDurability(this.#db, async (trx) => {
      // One UPDATE ... FROM (VALUES ...) per chunk: one statement for many devices. A device
      // that checked in twice in one batch gets its latest state.
      const latest = [...new Map(writes.map((write) => [write.deviceId, write])).values()];
      for (let start = 0; start < latest.length; start += UPDATE_ROWS_PER_STATEMENT) {
        await updateDevices(latest.slice(start, start + UPDATE_ROWS_PER_STATEMENT)).execute(trx);
      }
      const history = writes.filter((write) => write.history);
      for (let start = 0; start < history.length; start += HISTORY_ROWS_PER_STATEMENT) {
        const rows = history.slice(start, start + HISTORY_ROWS_PER_STATEMENT).map((write) => ({
          id: randomUUID(), device_id: write.deviceId, at: write.at, health: write.health ?? '{}', installed: write.installed, profile_version: write.profileVersion,
        }));
        await trx.insertInto('check_ins').values(rows).execute();
      }
    });
    return writes.map(() => undefined);
  }
}

/**
 * Portable (SQLite 3.33+, PostgreSQL) multi-row update. VALUES columns are `column1`... in
 * both; parameters arrive untyped, hence the casts. Health and history_at change only when
 * the write carries them.
 */
function updateDevices(writes: readonly CheckInWrite[]): RawBuilder<unknown> {
  const rows = writes.map((write) => {
    const flag = (value: boolean) => (value ? 1 : 0);
    return sql`(${write.deviceId}, ${write.at}, ${write.installed}, ${write.firmwareVersion}, ${write.profileVersion}, ${flag(write.flags.paperOut)}, ${flag(write.flags.updateFailed)}, ${flag(write.flags.profileNotApplied)}, ${write.stateHash}, ${write.health === undefined ? 0 : 1}, ${write.health ?? null}, ${flag(write.history)})`;
  });
  return sql`UPDATE devices SET
      last_seen_at = v.column2,
      installed = v.column3,
      firmware_version = v.column4,
      profile_version = CAST(v.column5 AS integer),
      flag_paper_out = CAST(v.column6 AS integer),
      flag_update_failed = CAST(v.column7 AS integer),
      flag_profile_not_applied = CAST(v.column8 AS integer),
      state_hash = v.column9,
      health = CASE WHEN CAST(v.column10 AS integer) = 1 THEN v.column11 ELSE devices.health END,
      history_at = CASE WHEN CAST(v.column12 AS integer) = 1 THEN v.column2 ELSE devices.history_at END
    FROM (VALUES ${sql.join(rows)}) AS v
    WHERE devices.id = v.column1`;
}
