/**
 * Walks the audit chain in `seq` order and stops at the first entry that fails a check:
 *
 * - `hash-mismatch`: the entry's stored hash is not the hash of its content: it was edited
 *   (any column, `prev_hash` included) without recomputing the hash.
 * - `chain-broken`: the entry's `prev_hash` is not the hash of the entry before it. The entry
 *   named is the first whose check fails; the one before it (`suspectSeq`) is the one most
 *   likely edited, with its hash recomputed to hide the edit, or replaced.
 * - `gap`: entries are missing: `seq` is the first missing one, `lastMissingSeq` the last.
 * - `first-entry`: entry 1 is missing, or does not start from the genesis hash, or an entry
 *   with a number below 1 was inserted.
 * - with `expectHead` (a head recorded earlier, see audit-head.ts): `head-missing` when the log
 *   now ends before that entry (newest entries deleted; `seq` is the first missing one,
 *   `lastMissingSeq` the recorded head), `head-mismatch` when that entry's
 *   hash differs (the chain was rewritten up to there).
 *
 * Deleting the newest entries leaves a shorter chain that is valid in itself: only a head
 * recorded outside the database catches it. So does rewriting every entry consistently.
 *
 * Reads in batches (keyset pagination on `seq`), so the log is never loaded at once.
 *
 * @example
 * const result = await verifyAuditChain(db, { expectHead: { seq: 42, hash } });
 * if (!result.ok) console.error(result.message); // "audit entry 17 was edited: ..."
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { GENESIS_HASH, entryHash } from './audit-hash.js';
import type { AuditHead } from './audit-head.js';
import type { AuditLogTable } from './audit-tables.js';

export type AuditProblemKind = 'hash-mismatch' | 'chain-broken' | 'gap' | 'first-entry' | 'head-missing' | 'head-mismatch';

export interface AuditProblem {
  /** The first entry whose check failed (for a gap: the first missing entry). */
  readonly seq: number;
  readonly kind: AuditProblemKind;
  /** chain-broken: the entry before `seq`, the one likely edited or replaced. */
  readonly suspectSeq?: number;
  /** gap: the last missing entry. */
  readonly lastMissingSeq?: number;
}

export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly headSeq: number; readonly headHash: string }
  | { readonly ok: false; readonly entries: number; readonly problem: AuditProblem; readonly message: string };

export interface VerifyAuditOptions {
  /** The first entry to check (default 1); entry from - 1 is then trusted as it is. */
  readonly from?: number;
  /** Entries read per query (default 1000). */
  readonly batchSize?: number;
  /** A head recorded earlier, that must still be in the chain with that hash. */
  readonly expectHead?: AuditHead;
}

const DEFAULT_BATCH = 1000;
const COLUMNS = ['seq', 'at', 'actor', 'action', 'tenant_id', 'subject', 'before', 'after', 'prev_hash', 'hash'] as const;

export async function verifyAuditChain(db: Kysely<Database>, options: VerifyAuditOptions = {}): Promise<AuditVerification> {
  const from = options.from ?? 1;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const expectHead = options.expectHead;
  if (!Number.isSafeInteger(from) || from < 1 || !Number.isSafeInteger(batchSize) || batchSize < 1) throw stewardError('STW_REQUEST_INVALID', 'from and batchSize are whole numbers of at least 1');
  if (expectHead && expectHead.seq < from) throw stewardError('STW_REQUEST_INVALID', `the expected head ${expectHead.seq} is before the first entry checked (${from})`);

  let entries = 0;
  const fail = (problem: AuditProblem, message: string): AuditVerification => ({ ok: false, entries, problem, message });

  let prevHash = GENESIS_HASH;
  let last = from - 1; // the last seq accounted for
  if (from > 1) {
    const anchor = await db.selectFrom('audit_log').select('hash').where('seq', '=', from - 1).executeTakeFirst();
    if (!anchor) return fail({ seq: from - 1, kind: 'gap', lastMissingSeq: from - 1 }, `audit entry ${from - 1} was deleted`);
    prevHash = anchor.hash;
  }

  for (;;) {
    // From seq 1, no lower bound: an inserted entry 0 or below is reported too.
    let query = db.selectFrom('audit_log').select(COLUMNS).orderBy('seq').limit(batchSize);
    if (last > 0) query = query.where('seq', '>', last);
    const batch: AuditLogTable[] = await query.execute();
    for (const row of batch) {
      const expected = last + 1;
      if (row.seq < expected) return fail({ seq: row.seq, kind: 'first-entry' }, `audit entry ${row.seq} comes before entry 1: it was inserted`);
      if (row.seq > expected) {
        if (expected === 1) return fail({ seq: 1, kind: 'first-entry' }, row.seq === 2 ? 'audit entry 1 was deleted' : `audit entries 1-${row.seq - 1} were deleted`);
        const range = row.seq - 1 === expected ? `entry ${expected} was` : `entries ${expected}-${row.seq - 1} were`;
        return fail({ seq: expected, kind: 'gap', lastMissingSeq: row.seq - 1 }, `audit ${range} deleted`);
      }
      const { hash, ...content } = row;
      if (entryHash(content) !== hash) return fail({ seq: row.seq, kind: 'hash-mismatch' }, `audit entry ${row.seq} was edited: its hash does not match its content`);
      if (row.prev_hash !== prevHash) {
        if (row.seq === 1) return fail({ seq: 1, kind: 'first-entry' }, 'audit entry 1 was edited or replaced: it does not start from the genesis hash');
        return fail(
          { seq: row.seq, kind: 'chain-broken', suspectSeq: row.seq - 1 },
          `audit entry ${row.seq} does not follow entry ${row.seq - 1}: entry ${row.seq - 1} was likely edited (its hash recomputed) or replaced`,
        );
      }
      if (expectHead && row.seq === expectHead.seq && row.hash !== expectHead.hash) {
        return fail({ seq: row.seq, kind: 'head-mismatch' }, `audit entry ${row.seq} is not the recorded head: entries up to ${row.seq} were rewritten`);
      }
      prevHash = row.hash;
      last = row.seq;
      entries++;
    }
    if (batch.length < batchSize) break;
  }

  if (expectHead && last < expectHead.seq) {
    const range = last + 1 === expectHead.seq ? `entry ${expectHead.seq} was` : `entries ${last + 1}-${expectHead.seq} were`;
    return fail({ seq: last + 1, kind: 'head-missing', lastMissingSeq: expectHead.seq }, `audit ${range} deleted: the log ends at ${last}, the recorded head is ${expectHead.seq}`);
  }
  return { ok: true, entries, headSeq: last, headHash: prevHash };
}
