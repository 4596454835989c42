/**
 * A transaction whose commit does not wait for the disk: for telemetry a device repeats at
 * its next check-in anyway (last seen, health, installed versions, replay nonces), where
 * waiting for an fsync per group commit would be most of a check-in's cost. Everything else
 * (publishing, profiles, audit, device events that move rollout counters) keeps full
 * durability.
 *
 * - SQLite (WAL): `PRAGMA synchronous = NORMAL` for this transaction only, on the one
 *   connection, restored to FULL after. A crash of the process loses nothing; a power cut
 *   may lose the last such commits, never corrupts the database (sqlite.org/pragma.html#pragma_synchronous).
 * - PostgreSQL: `SET LOCAL synchronous_commit = off`: the commit returns before its WAL is
 *   flushed; a server crash may lose the last few hundred milliseconds of such commits, with
 *   the database consistent (postgresql.org/docs/current/wal-async-commit.html).
 *
 * @example
 * await withRelaxedDurability(db, async (trx) => { await trx.updateTable('devices')...execute(); });
 */
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export async function withRelaxedDurability<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return db.transaction().execute(async (trx) => {
      await sql`SET LOCAL synchronous_commit = off`.execute(trx);
      return work(trx);
    });
  }
  // Hold the connection across the pragmas and the transaction, so no other transaction
  // runs with the relaxed setting.
  return db.connection().execute(async (connection) => {
    await sql`PRAGMA synchronous = NORMAL`.execute(connection);
    try {
      return await connection.transaction().execute(work);
    } finally {
      await sql`PRAGMA synchronous = FULL`.execute(connection);
    }
  });
}
