/**
 * Serialises the transactions that publish or constrain one merchant's profile (a change, an
 * approval, new bounds): each locks the merchant's row first (PostgreSQL `SELECT ... FOR
 * UPDATE`), so a second one waits and then sees the first one's version and bounds, instead of
 * colliding on the version number or checking against bounds being replaced. A default-layer
 * change locks every merchant (it publishes a version of each). SQLite runs one write
 * transaction at a time already.
 *
 * @example
 * await atomically(db, async (trx) => { await lockMerchants(trx, ['M1']); ... });
 */
import { PostgresAdapter, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** `'all'`: every merchant, in id order (one order everywhere: no deadlock between lockers). */
export async function lockMerchants(trx: Kysely<Database>, merchants: readonly string[] | 'all'): Promise<void> {
  if (!(trx.getExecutor().adapter instanceof PostgresAdapter)) return;
  let query = trx.selectFrom('merchants').select('id').orderBy('id').forUpdate();
  if (merchants !== 'all') {
    if (merchants.length === 0) return;
    query = query.where('id', 'in', [...merchants]);
  }
  await query.execute();
}
