import { StorageError } from './storage-error.js';

/**
 * Reads a count, sum or length as a number on both dialects: better-sqlite3 returns numbers,
 * node-postgres returns `bigint` and `numeric` as strings (kysely types `countAll()` as
 * `string | number | bigint` for that reason).
 *
 * @example
 * const { n } = await db.selectFrom('releases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
 * const count = toNumber(n);
 */
export function toNumber(value: string | number | bigint | null | undefined): number {
  const parsed = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed)) {
    throw new StorageError('STW_DB_INVALID_VALUE', 'expected an integer from the database', { details: { value: String(value) } });
  }
  return parsed;
}
