/**
 * The hash that chains audit entries: SHA-256 over the canonical JSON (keys sorted, TUF 4.2
 * form) of every column except `hash` itself, `prev_hash` included, so changing, inserting or
 * removing any entry breaks the chain from there on.
 *
 * @example
 * entryHash({ seq: 1, at, actor: 'user:usr_1', action: 'merchant.created', tenant_id: 'M1', subject: 'merchant:M1', before: null, after: '{}', prev_hash: GENESIS_HASH });
 */
import { createHash } from 'node:crypto';
import { canonicalBytes } from '../../manifests/index.js';
import type { AuditLogTable } from './audit-tables.js';

/** `prev_hash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(entry: Omit<AuditLogTable, 'hash'>): string {
  const { seq, at, actor, action, tenant_id, subject, before, after, prev_hash } = entry;
  return createHash('sha256').update(canonicalBytes({ seq, at, actor, action, tenant_id, subject, before, after, prev_hash })).digest('hex');
}
