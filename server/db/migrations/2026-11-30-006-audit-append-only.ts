/**
 * The audit log refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE) in the database itself,
 * so no code path, script or mistyped console command can change history by accident.
 *
 * This is not a defence against someone who holds the database owner's credentials: they can
 * drop or disable the triggers. That case is what the hash chain and an externally recorded
 * head are for (docs/audit.md).
 *
 * Frozen in time: never import application code here, never edit after release.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations see no application types
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`
      create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'P0001';
      end;
      $$`.execute(db);
    await sql`create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only()`.execute(db);
    await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`.execute(db);
    return;
  }
  // SQLite has no TRUNCATE; DELETE without WHERE fires the row trigger too.
  await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only (UPDATE refused)'); end`.execute(db);
  await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only (DELETE refused)'); end`.execute(db);
}
