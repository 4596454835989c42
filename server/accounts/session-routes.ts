/**
 * Sign-in for people (console and API): a username and password buy a session token that
 * expires (default 12 h) and speaks for that user in its role and tenant. API tokens remain
 * for machines (CI publishing, integrations).
 *
 * POST /v1/sessions {username, password} -> 201 {token, expiresAt, user}
 * GET /v1/sessions/current -> who the token speaks for
 * DELETE /v1/sessions/current -> sign out (revokes the token)
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { formatScope } from '../auth/scope.js';
import { issueToken, revokeToken } from '../auth/tokens.js';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { errorResponses, errorSchema } from '../repository/routes/schemas.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { checkCredentials, findUser, scopeOf } from './users.js';

export interface SessionRoutesOptions {
  readonly db: Kysely<Database>;
  readonly clock: () => Date;
  /** Lifetime of a session token, in seconds. */
  readonly sessionSeconds?: number;
  readonly throttle?: SignInThrottle;
}

const userSchema = {
  type: 'object',
  required: ['id', 'username', 'role'],
  properties: { id: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' }, tenantId: { type: ['string', 'null'] } },
} as const;

export const sessionRoutes: FastifyPluginAsync<SessionRoutesOptions> = async (app, options) => {
  const { db, clock } = options;
  const sessionSeconds = options.sessionSeconds ?? 12 * 3600;
  const throttle = options.throttle ?? new SignInThrottle();

  app.post<{ Body: { username: string; password: string } }>(
    '/v1/sessions',
    {
      config: { access: 'public' },
      schema: {
        tags: ['accounts'],
        summary: 'Sign in with a username and password; returns a session token',
        body: { type: 'object', required: ['username', 'password'], additionalProperties: false, properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 1024 } } },
        response: { 201: { type: 'object', required: ['token', 'expiresAt', 'user'], properties: { token: { type: 'string' }, expiresAt: { type: 'string' }, user: userSchema } }, 429: errorSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const now = clock();
      const username = request.body.username.trim().toLowerCase();
      if (throttle.isBlocked(username, now)) throw stewardError('STW_SIGN_IN_THROTTLED', 'too many failed sign-ins; wait a minute');
      const user = await checkCredentials(db, username, request.body.password);
      if (!user) {
        throttle.failed(username, now);
        throw stewardError('STW_SIGN_IN_FAILED', 'the username or password is wrong');
      }
      throttle.succeeded(username);
      const expiresAt = new Date(now.getTime() + sessionSeconds * 1000);
      const { token } = await issueToken(db, { scope: scopeOf(user), label: `session of ${user.username}`, userId: user.id, expiresAt, now });
      return reply.code(201).send({ token, expiresAt: expiresAt.toISOString(), user: { id: user.id, username: user.username, role: user.role, tenantId: user.tenantId } });
    },
  );

  app.get(
    '/v1/sessions/current',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['accounts'],
        summary: 'Who the bearer token speaks for',
        response: { 200: { type: 'object', required: ['scope', 'actor'], properties: { scope: { type: 'string' }, actor: { type: 'string' }, user: { anyOf: [userSchema, { type: 'null' }] } } }, ...errorResponses },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (!principal) throw stewardError('STW_AUTH_REQUIRED', 'a bearer token is required');
      const user = principal.userId === undefined ? undefined : await findUser(db, principal.userId);
      return { scope: formatScope(principal.scope), actor: principal.actor, user: user ? { id: user.id, username: user.username, role: user.role, tenantId: user.tenantId } : null };
    },
  );

  app.delete(
    '/v1/sessions/current',
    { config: { access: 'signed-in' }, schema: { tags: ['accounts'], summary: 'Sign out: the token stops working', response: { 204: { type: 'null' }, ...errorResponses } } },
    async (request, reply) => {
      if (request.principal) await revokeToken(db, request.principal.tokenId, clock());
      return reply.code(204).send();
    },
  );
};
