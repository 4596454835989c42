/**
 * Runs `work` in one transaction: a new one, or the caller's when `db` already is one (the
 * check-in stores a device's events and hands them to the planner in one transaction, so
 * the counters move exactly when the events are stored).
 *
 * A transaction of our own is run again when the database gave it up because of a concurrent
 * one: PostgreSQL `40P01` deadlock_detected or `40001` serialization_failure (replicas
 * sweeping and cancelling the same rows in different orders), SQLite `SQLITE_BUSY` (another
 * process held the write lock past the busy timeout). In the caller's transaction such an
 * error goes to the caller, whose transaction it has ended.
 *
 * With `retryUniqueViolations`, a unique violation is retried too: for work that takes the
 * next number of a gapless sequence (the audit log's `seq`), where a concurrent transaction
 * that took the same number first is the only cause.
 *
 * @example
 * const done = await atomically(db, async (trx) => { ... return true; });
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';

const CONFLICT_CODES = new Set(['40P01', '40001', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);
const MAX_TRIES = 8;

export async function atomically<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>, options: { retryUniqueViolations?: boolean } = {}): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= MAX_TRIES || !(isConflict(error) || (options.retryUniqueViolations === true && isUniqueViolation(error)))) throw error;
    }
  }
}

function isConflict(error: unknown): boolean {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && CONFLICT_CODES.has(code);
}
