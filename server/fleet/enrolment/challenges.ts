/**
 * Enrolment challenges (protocol.md 1.1): 32 random bytes, base64url, single use, short
 * lived. Using one deletes it in the same statement that finds it, so two enrolments (even
 * on two replicas) can never both use one challenge.
 *
 * @example
 * const { challenge, expiresAt } = await issueChallenge(db, now, 300);
 * const bytes = await consumeChallenge(db, challenge, now); // Buffer, or undefined if unknown/used/expired
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

export const CHALLENGE_BYTES = 32;

export async function issueChallenge(db: Kysely<Database>, now: Date, lifetimeSeconds: number): Promise<{ challenge: string; expiresAt: string }> {
  const challenge = randomBytes(CHALLENGE_BYTES).toString('base64url');
  const expiresAt = new Date(now.getTime() + lifetimeSeconds * 1000).toISOString();
  await db.insertInto('enrolment_challenges').values({ challenge, expires_at: expiresAt }).execute();
  return { challenge, expiresAt };
}

/** The challenge's bytes when it was issued here, unused and unexpired; it is used up either way. */
export async function consumeChallenge(db: Kysely<Database>, challenge: string, now: Date): Promise<Buffer | undefined> {
  const row = await db.deleteFrom('enrolment_challenges').where('challenge', '=', challenge).returning('expires_at').executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return undefined;
  return Buffer.from(challenge, 'base64url');
}

export async function pruneChallenges(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('enrolment_challenges').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
