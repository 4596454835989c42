/**
 * Writes what a check-in reported: the device's latest state (last seen, health, installed,
 * profile version, flags) and, when the reported state changed or the last history row is
 * older than the history interval, a row of check-in history. Group-committed: the
 * check-ins that arrive while a batch is written go together in the next transaction.
 *
 * @example
 * await writer.record({ deviceId, at, health, installed, firmwareVersion, profileVersion, flags, stateHash, history: true });
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
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
    await this.#db.transaction().execute(async (trx) => {
      for (const write of writes) {
        await trx
          .updateTable('devices')
          .set({
            last_seen_at: write.at,
            ...(write.health === undefined ? {} : { health: write.health }),
            installed: write.installed,
            firmware_version: write.firmwareVersion,
            profile_version: write.profileVersion,
            flag_paper_out: write.flags.paperOut ? 1 : 0,
            flag_update_failed: write.flags.updateFailed ? 1 : 0,
            flag_profile_not_applied: write.flags.profileNotApplied ? 1 : 0,
            state_hash: write.stateHash,
            ...(write.history ? { history_at: write.at } : {}),
          })
          .where('id', '=', write.deviceId)
          .execute();
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
