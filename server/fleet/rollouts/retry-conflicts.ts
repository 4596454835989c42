/**
 * Runs a transaction again when the database gave it up because of a concurrent one:
 * PostgreSQL `40P01` deadlock_detected or `40001` serialization_failure (replicas sweeping
 * and cancelling the same rows in different orders), SQLite `SQLITE_BUSY` (another process
 * holds the write lock past the busy timeout). Everything else is thrown at once.
 *
 * @example
 * await retryConflicts(() => db.transaction().execute(async (trx) => { ... }));
 */
const CONFLICT_CODES = new Set(['40P01', '40001', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);
const MAX_TRIES = 5;

export async function retryConflicts<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= MAX_TRIES || !isConflict(error)) throw error;
    }
  }
}

function isConflict(error: unknown): boolean {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && CONFLICT_CODES.has(code);
}
