/**
 * True when `error` (or any error in its `cause` chain) is a unique or primary-key violation:
 * SQLite `SQLITE_CONSTRAINT_PRIMARYKEY` / `SQLITE_CONSTRAINT_UNIQUE` (better-sqlite3), or
 * PostgreSQL SQLSTATE 23505 `unique_violation` (node-postgres).
 *
 * @example
 * try { await db.insertInto('metadata').values(row).execute() } catch (e) {
 *   if (isUniqueViolation(e)) throw conflict('version already published');
 *   throw e;
 * }
 */
export function isUniqueViolation(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as Error & { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505') return true;
    current = current.cause;
  }
  return false;
}
