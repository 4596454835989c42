/**
 * Bearer tokens: `stw_<24 random bytes, base64url>`. Only the SHA-256 of a token is stored,
 * so a database leak does not leak usable credentials; the token itself is shown once.
 *
 * @example
 * const { token } = await issueToken(db, { scope: { kind: 'vendor', vendorId: 'acme' }, label: 'ci' });
 * const principal = await resolveToken(db, token); // { tokenId, scope } | undefined
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { formatScope, parseScope, type Scope } from './scope.js';

export interface Principal {
  readonly tokenId: string;
  readonly scope: Scope;
}

const TOKEN_PREFIX = 'stw_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function issueToken(db: Kysely<Database>, options: { scope: Scope; label: string; now?: Date }): Promise<{ tokenId: string; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(24).toString('base64url');
  const tokenId = randomUUID();
  await db
    .insertInto('api_tokens')
    .values({ id: tokenId, token_hash: hashToken(token), scope: formatScope(options.scope), label: options.label, created_at: (options.now ?? new Date()).toISOString(), revoked_at: null })
    .execute();
  return { tokenId, token };
}

export async function resolveToken(db: Kysely<Database>, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 128) return undefined;
  const row = await db.selectFrom('api_tokens').select(['id', 'scope', 'revoked_at']).where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.revoked_at !== null) return undefined;
  const scope = parseScope(row.scope);
  return scope && { tokenId: row.id, scope };
}

export async function revokeToken(db: Kysely<Database>, tokenId: string, now = new Date()): Promise<boolean> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: now.toISOString() }).where('id', '=', tokenId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
