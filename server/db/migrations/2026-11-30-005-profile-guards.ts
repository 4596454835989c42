/**
 * Guards for merchant parameter profiles, in the database itself:
 *
 * - `profile_versions` and `profile_defaults` refuse UPDATE and DELETE: a published version is
 *   immutable (the bytes a terminal received at version N can always be rendered again).
 * - At most one pending change per (merchant, layer): a partial unique index, so two
 *   concurrent proposals cannot both wait for approval.
 * - `users.created_by`: the user who created an account through the API. Maker-checker treats
 *   the creator of a merchant user as that user (they chose its first password).
 *
 * Frozen in time: never import application code here, never edit after release.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const IMMUTABLE = ['profile_versions', 'profile_defaults'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations see no application types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('created_by', 'text').execute();
  await sql`create unique index profile_changes_one_pending on profile_changes (coalesce(merchant_id, ''), layer) where state = 'pending'`.execute(db);

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`
      create function profile_versions_immutable() returns trigger language plpgsql as $$
      begin
        raise exception '% is insert-only (% refused)', tg_table_name, tg_op using errcode = 'P0001';
      end;
      $$`.execute(db);
    for (const table of IMMUTABLE) {
      await sql`create trigger ${sql.raw(`${table}_no_change`)} before update or delete on ${sql.table(table)} for each row execute function profile_versions_immutable()`.execute(db);
    }
    return;
  }
  for (const table of IMMUTABLE) {
    await sql`create trigger ${sql.raw(`${table}_no_update`)} before update on ${sql.table(table)} begin select raise(abort, ${sql.lit(`${table} is insert-only (UPDATE refused)`)}); end`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_no_delete`)} before delete on ${sql.table(table)} begin select raise(abort, ${sql.lit(`${table} is insert-only (DELETE refused)`)}); end`.execute(db);
  }
}
