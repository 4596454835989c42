/**
 * Seen request nonces (RFC 9421 7.2.2 replay protection): a signed request is accepted only
 * if its (device, nonce) pair is new. The database, not memory, is the ledger, so a request
 * replayed to another server replica is refused too. A nonce is kept until its signature's
 * `created` falls out of the window, then pruned.
 *
 * Inserts are group-committed (see write-coalescer.ts): one multi-row
 * `INSERT ... ON CONFLICT DO NOTHING RETURNING` per batch tells which pairs were new. The
 * batch commits with relaxed durability (server/db/relaxed-durability.ts): a power cut can
 * forget the last nonces, which lets a request captured in the seconds before it be replayed
 * once within its signature window: a check-in repeated, nothing more.
 *
 * @example
 * const ledger = new NonceLedger(db);
 * if (!(await ledger.record('dev_1', nonce, expiresAt))) throw replayed();
 */
import type { Kysely } from 'kysely';
import { withRelaxedDurability } from '../../db/relaxed-durability.js';
import type { Database } from '../../db/schema.js';
import { WriteCoalescer, type WriteCoalescerOptions } from '../batch/write-coalescer.js';

interface NonceItem {
  readonly deviceId: string;
  readonly nonce: string;
  readonly expiresAt: string;
}

/** Rows per INSERT statement (3 parameters each, well under every dialect's limit). */
const ROWS_PER_STATEMENT = 300;

export class NonceLedger {
  readonly #db: Kysely<Database>;
  readonly #coalescer: WriteCoalescer<NonceItem, boolean>;

  constructor(db: Kysely<Database>, options: Partial<WriteCoalescerOptions> = {}) {
    this.#db = db;
    this.#coalescer = new WriteCoalescer((items) => this.#insert(items), { maxBatch: 1024, ...options });
  }

  /** True when the nonce is new for this device (and is now recorded), false for a replay. */
  record(deviceId: string, nonce: string, expiresAt: string): Promise<boolean> {
    return this.#coalescer.submit({ deviceId, nonce, expiresAt });
  }

  /** Deletes nonces whose window has passed; returns how many. */
  async prune(now: Date): Promise<number> {
    const result = await this.#db.deleteFrom('request_nonces').where('expires_at', '<', now.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async #insert(items: readonly NonceItem[]): Promise<boolean[]> {
    const key = (deviceId: string, nonce: string) => `${deviceId}\n${nonce}`;
    const firstIndex = new Map<string, number>();
    items.forEach((item, index) => {
      const k = key(item.deviceId, item.nonce);
      if (!firstIndex.has(k)) firstIndex.set(k, index);
    });
    const unique = [...firstIndex.values()].map((index) => items[index] as NonceItem);
    const inserted = new Set<string>();
    await withRelaxedDurability(this.#db, async (trx) => {
      for (let start = 0; start < unique.length; start += ROWS_PER_STATEMENT) {
        const rows = unique.slice(start, start + ROWS_PER_STATEMENT).map((item) => ({ device_id: item.deviceId, nonce: item.nonce, expires_at: item.expiresAt }));
        const returned = await trx
          .insertInto('request_nonces')
          .values(rows)
          .onConflict((conflict) => conflict.columns(['device_id', 'nonce']).doNothing())
          .returning(['device_id', 'nonce'])
          .execute();
        for (const row of returned) inserted.add(key(row.device_id, row.nonce));
      }
    });
    // A pair repeated inside one batch is new only for its first submitter.
    return items.map((item, index) => firstIndex.get(key(item.deviceId, item.nonce)) === index && inserted.has(key(item.deviceId, item.nonce)));
  }
}
