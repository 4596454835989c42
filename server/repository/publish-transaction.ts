/**
 * One publication = one database transaction. When two publishers (two requests, or two
 * server replicas) race for the same (role, version), the database refuses the second
 * insert; the loser rolls back entirely and runs again on the new state, so no update is
 * lost and versions stay strictly increasing.
 */
import type { Kysely, Transaction } from 'kysely';
import { setTimeout as delay } from 'node:timers/promises';
import { isUniqueViolation } from '../db/index.js';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';

const MAX_ATTEMPTS = 12;

export async function inPublishTransaction<T>(db: Kysely<Database>, body: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(body);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw stewardError('STW_REPO_CONFLICT', 'the repository changed concurrently too many times; try again', { attempts: attempt }, error);
      await delay(Math.floor(Math.random() * 10 * attempt)); // jitter so racing replicas spread out
    }
  }
}
