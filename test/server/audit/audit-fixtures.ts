/**
 * Audit log fixtures: entries appended the way the server appends them, and tampering by raw
 * SQL the way someone with database access would (after switching off the append-only
 * triggers of migration 006, as such a person can).
 *
 * @example
 * const rows = await seedAudit(db, 7);
 * await allowTampering(db, kind);
 * await sql`update audit_log set after = '{}' where seq = 4`.execute(db);
 */
import { sql, type Kysely } from 'kysely';
import { appendAudit } from '../../../server/audit/index.js';
import type { AuditLogTable } from '../../../server/audit/index.js';
import { atomically } from '../../../server/db/atomically.js';
import type { Database } from '../../../server/db/schema.js';
import type { DatabaseKind } from '../../helpers/databases.js';

export const T0 = Date.parse('2026-11-30T09:00:00Z');

/** Entry i: tenant M1 for odd i, M2 for even i; before {n: i - 1}, after {n: i}. */
export async function seedAudit(db: Kysely<Database>, count: number): Promise<AuditLogTable[]> {
  const rows: AuditLogTable[] = [];
  for (let i = 1; i <= count; i++) {
    const input = { actor: 'user:usr_ana', action: 'test.changed', tenantId: i % 2 === 1 ? 'M1' : 'M2', subject: `thing:${i}`, before: { n: i - 1 }, after: { n: i, account: '****1234' } };
    rows.push(await atomically(db, (trx) => appendAudit(trx, input, new Date(T0 + i * 1000)), { retryUniqueViolations: true }));
  }
  return rows;
}

/** Switches off the append-only triggers (PostgreSQL: disable; SQLite: drop). */
export async function allowTampering(db: Kysely<Database>, kind: DatabaseKind): Promise<void> {
  if (kind === 'postgres') {
    await sql`alter table audit_log disable trigger user`.execute(db);
  } else {
    await sql`drop trigger audit_log_no_update`.execute(db);
    await sql`drop trigger audit_log_no_delete`.execute(db);
  }
}

export async function rowAt(db: Kysely<Database>, seq: number): Promise<AuditLogTable> {
  return db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
}
