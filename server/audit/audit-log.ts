/**
 * Appends to the audit log inside the caller's transaction, so an entry exists exactly when
 * the change it records does. Entries are never updated or deleted by the application; each
 * commits to the one before it (audit-hash.ts), and `steward audit verify` walks the chain.
 *
 * Two transactions appending at once both read the same head and try the same `seq`: the
 * primary key refuses the second, whose caller retries the whole transaction
 * (`atomically(db, work, { retryUniqueViolations: true })`).
 *
 * Callers pass `before` / `after` already masked (maskProfileJson): the log is read by
 * operators and must never hold a full account number.
 *
 * @example
 * await atomically(db, async (trx) => {
 *   ... change ...
 *   await appendAudit(trx, { actor: principal.actor, action: 'merchant.bounds.set', tenantId: 'M1', subject: 'merchant:M1', before, after }, now);
 * }, { retryUniqueViolations: true });
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { GENESIS_HASH, entryHash } from './audit-hash.js';
import type { AuditLogTable } from './audit-tables.js';

export interface AuditEntryInput {
  readonly actor: string;
  readonly action: string;
  readonly tenantId: string | null;
  readonly subject: string;
  /** Masked; serialised as JSON. */
  readonly before?: unknown;
  readonly after?: unknown;
}

export async function appendAudit(trx: Kysely<Database>, input: AuditEntryInput, now: Date): Promise<AuditLogTable> {
  const head = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const entry = {
    seq: (head?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor: input.actor,
    action: input.action,
    tenant_id: input.tenantId,
    subject: input.subject,
    before: input.before === undefined ? null : JSON.stringify(input.before),
    after: input.after === undefined ? null : JSON.stringify(input.after),
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  const row: AuditLogTable = { ...entry, hash: entryHash(entry) };
  await trx.insertInto('audit_log').values(row).execute();
  return row;
}
