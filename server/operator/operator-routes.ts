/** Operator administration: vendors and API tokens. */
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { issueToken, revokeToken } from '../auth/tokens.js';
import { parseScope } from '../auth/scope.js';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { errorResponses } from '../repository/routes/schemas.js';
import { addVendor, listVendors, vendorExists } from './vendors.js';

const vendorSchema = { type: 'object', required: ['id', 'name', 'createdAt'], properties: { id: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' } } } as const;

export const operatorRoutes: FastifyPluginAsync<{ db: Kysely<Database>; clock: () => Date }> = async (app, { db, clock }) => {
  app.post<{ Body: { id: string; name: string } }>(
    '/v1/operator/vendors',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operator'],
        summary: 'Register a vendor (its delegated role is then added to top-level targets offline)',
        body: { type: 'object', required: ['id', 'name'], additionalProperties: false, properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }, name: { type: 'string', minLength: 1, maxLength: 200 } } },
        response: { 201: vendorSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await addVendor(db, request.body, clock())),
  );

  app.get(
    '/v1/operator/vendors',
    { config: { access: 'operator' }, schema: { tags: ['operator'], response: { 200: { type: 'object', properties: { vendors: { type: 'array', items: vendorSchema } } }, ...errorResponses } } },
    async () => ({ vendors: await listVendors(db) }),
  );

  app.post<{ Body: { scope: string; label: string } }>(
    '/v1/operator/tokens',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operator'],
        summary: 'Issue an API token (shown once; only its hash is stored)',
        body: { type: 'object', required: ['scope', 'label'], additionalProperties: false, properties: { scope: { type: 'string', maxLength: 100 }, label: { type: 'string', minLength: 1, maxLength: 200 } } },
        response: { 201: { type: 'object', required: ['tokenId', 'token'], properties: { tokenId: { type: 'string' }, token: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const scope = parseScope(request.body.scope);
      if (!scope) throw stewardError('STW_REQUEST_INVALID', 'scope must be operator, vendor:<id> or merchant:<id>', { field: 'scope' });
      if (scope.kind === 'vendor' && !(await vendorExists(db, scope.vendorId))) throw stewardError('STW_REPO_VENDOR_UNKNOWN', `vendor ${scope.vendorId} is not registered`);
      if (scope.kind === 'merchant' && !(await db.selectFrom('merchants').select('id').where('id', '=', scope.merchantId).executeTakeFirst())) {
        throw stewardError('STW_MERCHANT_UNKNOWN', `merchant ${scope.merchantId} is not registered`);
      }
      return reply.code(201).send(await issueToken(db, { scope, label: request.body.label, now: clock() }));
    },
  );

  app.delete<{ Params: { tokenId: string } }>(
    '/v1/operator/tokens/:tokenId',
    {
      config: { access: 'operator' },
      schema: { tags: ['operator'], params: { type: 'object', properties: { tokenId: { type: 'string', maxLength: 64 } }, required: ['tokenId'] }, response: { 204: { type: 'null' }, ...errorResponses } },
    },
    async (request, reply) => {
      if (!(await revokeToken(db, request.params.tokenId, clock()))) throw stewardError('STW_NOT_FOUND', 'no such active token');
      return reply.code(204).send();
    },
  );
};
