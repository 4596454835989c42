/**
 * Pages of the audit log for people: oldest first from `after` (default), or newest first
 * (`order: 'desc'`, from `before`), optionally only one tenant's entries. `before` / `after` come back parsed.
 * Keyset pagination on `seq`: `next` is the cursor for the following page, null at the end.
 *
 * @example
 * const page = await listAudit(db, { tenantId: 'M1', limit: 50 });
 * const more = page.next === null ? undefined : await listAudit(db, { tenantId: 'M1', after: page.next, limit: 50 });
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AuditLogTable } from './audit-tables.js';

export interface AuditEntryView {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly tenantId: string | null;
  readonly subject: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditQuery {
  /** Only entries after this seq. */
  readonly after?: number;
  /** Only entries before this seq. */
  readonly before?: number;
  /** Default: newest first when only `before` is given, else oldest first. */
  readonly order?: 'asc' | 'desc';
  readonly tenantId?: string;
  /** Entries per page (default 100). */
  readonly limit?: number;
}

export interface AuditPage {
  readonly entries: AuditEntryView[];
  /** Pass as `after` (oldest first) or `before` (newest first) for the next page; null: no more. */
  readonly next: number | null;
}

const DEFAULT_LIMIT = 100;

export async function listAudit(db: Kysely<Database>, query: AuditQuery = {}): Promise<AuditPage> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const descending = query.order === undefined ? query.before !== undefined && query.after === undefined : query.order === 'desc';
  let select = db.selectFrom('audit_log').selectAll().orderBy('seq', descending ? 'desc' : 'asc').limit(limit + 1);
  if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
  if (query.before !== undefined) select = select.where('seq', '<', query.before);
  if (query.after !== undefined) select = select.where('seq', '>', query.after);
  const rows = await select.execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { entries: page.map(toView), next: rows.length > limit && last ? last.seq : null };
}

export function toView(row: AuditLogTable): AuditEntryView {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    tenantId: row.tenant_id,
    subject: row.subject,
    before: parsed(row.before),
    after: parsed(row.after),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The stored JSON; text that is not JSON (an edited entry) is shown as it is. */
function parsed(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
