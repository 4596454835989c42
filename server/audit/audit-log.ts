/**
 * Appends to the audit log inside the caller's transaction, so an entry exists exactly when
 * the change it records does. Entries are never updated or deleted (the database refuses it:
 * migrations/2026-11-30-006-audit-append-only.ts); each commits to the one before it
 * (audit-hash.ts), and `steward audit verify` walks the chain.
 *
 * Appenders take turns: on PostgreSQL a transaction-scoped advisory lock is held from the
 * read of the head until the caller's transaction ends, so the next appender reads the new
 * head instead of colliding on it; SQLite has one writer at a time anyway. Append as the last
 * step of the transaction, so the lock is held briefly. Should two still
 * pick the same `seq` (a caller's snapshot taken before the lock, under REPEATABLE READ), the
 * primary key refuses the second, whose caller retries the whole transaction
 * (`atomically(db, work, { retryUniqueViolations: true })`).
 *
 * Callers pass `before` / `after` already masked (maskProfileJson): the log is read by
 * operators and merchants and must never hold a full account number or a secret.
 *
 * @example
 * await atomically(db, async (trx) => {
 *   ... change ...
 *   await appendAudit(trx, { actor: principal.actor, action: 'merchant.bounds.set', tenantId: 'M1', subject: 'merchant:M1', before, after }, now);
 * }, { retryUniqueViolations: true });
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { atomically } from '../db/atomically.js';
import type { Database } from '../db/schema.js';
import { GENESIS_HASH, entryHash } from './audit-hash.js';
import type { AuditLogTable } from './audit-tables.js';

export interface AuditEntryInput {
  /** `user:<id>`, `token:<id>`, `device:<id>`, `system:<what>`. */
  readonly actor: string;
  /** `<noun>.<verb>`, e.g. `user.created` (docs/audit.md lists them). */
  readonly action: string;
  readonly tenantId: string | null;
  readonly subject: string;
  /** Masked; serialised as JSON. */
  readonly before?: unknown;
  readonly after?: unknown;
}

export async function appendAudit(trx: Kysely<Database>, input: AuditEntryInput, now: Date): Promise<AuditLogTable> {
  // Outside a transaction the advisory lock would end with its own statement: make one.
  if (!trx.isTransaction) return atomically(trx, (inner) => appendAudit(inner, input, now), { retryUniqueViolations: true });
  if (trx.getExecutor().adapter instanceof PostgresAdapter) await sql`select pg_advisory_xact_lock(hashtext('steward:audit_log'))`.execute(trx);
  const head = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const entry = {
    seq: (head?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor: input.actor,
    action: input.action,
    tenant_id: input.tenantId,
    subject: input.subject,
    before: asJson(input.before),
    after: asJson(input.after),
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  const row: AuditLogTable = { ...entry, hash: entryHash(entry) };
  await trx.insertInto('audit_log').values(row).execute();
  return row;
}

function asJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
