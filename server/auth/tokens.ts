/**
 * Bearer tokens: `stw_<24 random bytes, base64url>`. Only the SHA-256 of a token is stored,
 * so a database leak does not leak usable credentials; the token itself is shown once.
 * API tokens (issued by an operator or the CLI) do not expire unless revoked; session tokens
 * (issued at sign-in, see sessions.ts) belong to a user and expire.
 *
 * @example
 * const { token } = await issueToken(db, { scope: { kind: 'vendor', vendorId: 'acme' }, label: 'ci' });
 * const principal = await resolveToken(db, token); // { tokenId, scope, userId, actor } | undefined
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { formatScope, parseScope, type Scope } from './scope.js';

export interface Principal {
  readonly tokenId: string;
  readonly scope: Scope;
  /** The signed-in user, for session tokens; undefined for API tokens. */
  readonly userId: string | undefined;
  /** How audit entries and maker-checker name this principal: `user:<id>` or `token:<id>`. */
  readonly actor: string;
}

const TOKEN_PREFIX = 'stw_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface IssueTokenOptions {
  readonly scope: Scope;
  readonly label: string;
  readonly now?: Date;
  readonly userId?: string;
  readonly expiresAt?: Date;
}

export async function issueToken(db: Kysely<Database>, options: IssueTokenOptions): Promise<{ tokenId: string; token: string }> {
  const token = TOKEN_PREFIX + randomBytes(24).toString('base64url');
  const tokenId = randomUUID();
  await db
    .insertInto('api_tokens')
    .values({
      id: tokenId,
      token_hash: hashToken(token),
      scope: formatScope(options.scope),
      label: options.label,
      created_at: (options.now ?? new Date()).toISOString(),
      revoked_at: null,
      user_id: options.userId ?? null,
      expires_at: options.expiresAt?.toISOString() ?? null,
    })
    .execute();
  return { tokenId, token };
}

export async function resolveToken(db: Kysely<Database>, token: string, now = new Date()): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 128) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .leftJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.scope', 'api_tokens.revoked_at', 'api_tokens.user_id', 'api_tokens.expires_at', 'users.id as user_row_id', 'users.disabled_at'])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return undefined;
  if (row.expires_at !== null && row.expires_at <= now.toISOString()) return undefined;
  // A session of a disabled (or deleted) user ends with the user.
  if (row.user_id !== null && (row.user_row_id === null || row.disabled_at !== null)) return undefined;
  const scope = parseScope(row.scope);
  if (!scope) return undefined;
  return { tokenId: row.id, scope, userId: row.user_id ?? undefined, actor: row.user_id !== null ? `user:${row.user_id}` : `token:${row.id}` };
}

export async function revokeToken(db: Kysely<Database>, tokenId: string, now = new Date()): Promise<boolean> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: now.toISOString() }).where('id', '=', tokenId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
