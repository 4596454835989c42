/**
 * One-time enrolment tokens (protocol.md 1.2, method `token`): issued by the operator,
 * `stw_enrol_<24 random bytes, base64url>`, shown once; only the SHA-256 is stored. A token
 * has a number of uses and an expiry, and may bind the devices it enrols to a hardware
 * model, a merchant and tags.
 *
 * @example
 * const issued = await issueEnrolmentToken(db, { uses: 10, expiresAt, hardwareModel: 't100', label: 'store 12' }, now);
 * const token = await findEnrolmentToken(db, issued.token);
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { parseTags } from '../devices/device-record.js';

export const ENROLMENT_TOKEN_PREFIX = 'stw_enrol_';

export interface EnrolmentTokenSpec {
  readonly label: string;
  readonly uses: number;
  readonly expiresAt: string;
  readonly hardwareModel?: string | undefined;
  readonly merchantId?: string | undefined;
  readonly tags?: readonly string[] | undefined;
}

export interface IssuedEnrolmentToken {
  readonly tokenId: string;
  /** Shown once. */
  readonly token: string;
  readonly uses: number;
  readonly expiresAt: string;
}

export interface EnrolmentToken {
  readonly id: string;
  readonly usesLeft: number;
  readonly expiresAt: string;
  readonly hardwareModel: string | null;
  readonly merchantId: string | null;
  readonly tags: readonly string[] | null;
}

export function hashEnrolmentToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function issueEnrolmentToken(db: Kysely<Database>, spec: EnrolmentTokenSpec, now: Date): Promise<IssuedEnrolmentToken> {
  const token = ENROLMENT_TOKEN_PREFIX + randomBytes(24).toString('base64url');
  const tokenId = randomUUID();
  await db
    .insertInto('enrolment_tokens')
    .values({
      id: tokenId,
      token_hash: hashEnrolmentToken(token),
      label: spec.label,
      uses_left: spec.uses,
      expires_at: spec.expiresAt,
      hardware_model: spec.hardwareModel ?? null,
      merchant_id: spec.merchantId ?? null,
      tags: spec.tags === undefined ? null : JSON.stringify(spec.tags),
      created_at: now.toISOString(),
    })
    .execute();
  return { tokenId, token, uses: spec.uses, expiresAt: spec.expiresAt };
}

export async function findEnrolmentToken(db: Kysely<Database>, token: string): Promise<EnrolmentToken | undefined> {
  if (!token.startsWith(ENROLMENT_TOKEN_PREFIX) || token.length > 128) return undefined;
  const row = await db.selectFrom('enrolment_tokens').selectAll().where('token_hash', '=', hashEnrolmentToken(token)).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    usesLeft: Number(row.uses_left),
    expiresAt: row.expires_at,
    hardwareModel: row.hardware_model,
    merchantId: row.merchant_id,
    tags: row.tags === null ? null : parseTags(row.tags),
  };
}

/** Takes one use, atomically; false when none is left or the token expired meanwhile. */
export async function takeEnrolmentTokenUse(db: Kysely<Database>, tokenId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('enrolment_tokens')
    .set((eb) => ({ uses_left: eb('uses_left', '-', 1) }))
    .where('id', '=', tokenId)
    .where('uses_left', '>', 0)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
