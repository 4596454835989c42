/**
 * Merchants, for operators (create, list, edit the contact, contract bounds, staff users) and
 * for the merchant itself (read its own record and users). Contact changes are operator-only,
 * so a stolen merchant password cannot redirect notifications. The webhook secret is in the
 * creation answer and in the answer of a rotation only.
 *
 * POST /v1/merchants {id, name, webhookUrl?} -> 201 {merchant, webhookSecret}
 * GET /v1/merchants; GET|PATCH /v1/merchants/:merchantId; PUT /v1/merchants/:merchantId/bounds
 * POST /v1/merchants/:merchantId/webhook-secret -> 200 {merchant, webhookSecret} (operators: rotation)
 * GET|POST /v1/merchants/:merchantId/users
 */
import type { FastifyPluginAsync } from 'fastify';
import { requestActor } from '../auth/authenticate.js';
import type { JsonObject } from '../../manifests/index.js';
import { appendAudit } from '../audit/audit-log.js';
import { atomically } from '../db/atomically.js';
import { stewardError } from '../errors.js';
import { merchantParams, profileErrors, wireObject } from '../profiles/profile-schemas.js';
import type { ProfileServices } from '../profiles/profile-services.js';
import { setMerchantBounds } from './merchant-bounds.js';
import { createMerchant, getMerchant, listMerchants, rotateWebhookSecret, updateMerchant } from './merchants.js';
import { createUser, listUsers } from './users.js';

const merchantSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, webhookUrl: { type: ['string', 'null'] }, bounds: { anyOf: [wireObject, { type: 'null' }] }, createdAt: { type: 'string' } },
} as const;
const userSchema = { type: 'object', properties: { id: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' }, tenantId: { type: ['string', 'null'] }, createdAt: { type: 'string' }, disabled: { type: 'boolean' } } } as const;
const webhookUrl = { type: ['string', 'null'], maxLength: 2048 } as const;
const range = { type: 'object', required: ['min_bps', 'max_bps'], additionalProperties: false, properties: { min_bps: { type: 'integer' }, max_bps: { type: 'integer' } } } as const;
const boundsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    debit: range,
    credit: range,
    schemes: { type: 'object', maxProperties: 64, propertyNames: { pattern: '^[a-z][a-z0-9_]{1,31}$' }, additionalProperties: range },
    max_fixed_minor: { type: 'integer' },
    max_cap_minor: { type: 'integer' },
  },
} as const;

export const merchantRoutes: FastifyPluginAsync<{ profiles: ProfileServices }> = async (app, { profiles }) => {
  const { db, clock } = profiles;

  app.post<{ Body: { id: string; name: string; webhookUrl?: string | null } }>(
    '/v1/merchants',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['merchants'],
        summary: 'Register a merchant; the answer holds the webhook secret, shown this once',
        body: { type: 'object', required: ['id', 'name'], additionalProperties: false, properties: { id: { type: 'string', minLength: 1, maxLength: 64 }, name: { type: 'string', minLength: 1, maxLength: 200 }, webhookUrl } },
        response: { 201: { type: 'object', properties: { merchant: merchantSchema, webhookSecret: { type: 'string' } } }, ...profileErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await createMerchant(db, request.body, requestActor(request), clock())),
  );

  app.get<{ Querystring: { after?: string; limit: number } }>(
    '/v1/merchants',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['merchants'],
        summary: 'Merchants by id, in pages of `limit` (pass `next` as `after`)',
        querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'string', maxLength: 64 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } } },
        response: { 200: { type: 'object', properties: { merchants: { type: 'array', items: merchantSchema }, next: { type: ['string', 'null'] } } }, ...profileErrors },
      },
    },
    async (request) => listMerchants(db, request.query),
  );

  app.get<{ Params: { merchantId: string } }>(
    '/v1/merchants/:merchantId',
    { config: { access: 'operator-or-merchant' }, schema: { tags: ['merchants'], summary: 'One merchant: name, contact, contract bounds', params: merchantParams, response: { 200: merchantSchema, ...profileErrors } } },
    async (request) => getMerchant(db, request.params.merchantId),
  );

  app.patch<{ Params: { merchantId: string }; Body: { name?: string; webhookUrl?: string | null } }>(
    '/v1/merchants/:merchantId',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['merchants'],
        summary: "Change a merchant's name or registered webhook contact (operators only)",
        params: merchantParams,
        body: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, webhookUrl } },
        response: { 200: merchantSchema, ...profileErrors },
      },
    },
    async (request) => updateMerchant(db, request.params.merchantId, request.body, requestActor(request), clock()),
  );

  app.post<{ Params: { merchantId: string } }>(
    '/v1/merchants/:merchantId/webhook-secret',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['merchants'],
        summary: "Replace the merchant's webhook secret (operators only); the answer holds the new secret, shown this once",
        params: merchantParams,
        response: { 200: { type: 'object', properties: { merchant: merchantSchema, webhookSecret: { type: 'string' } } }, ...profileErrors },
      },
    },
    async (request) => rotateWebhookSecret(db, request.params.merchantId, requestActor(request), clock()),
  );

  app.put<{ Params: { merchantId: string }; Body: JsonObject }>(
    '/v1/merchants/:merchantId/bounds',
    {
      config: { access: 'operator' },
      schema: { tags: ['merchants'], summary: "Set the merchant's contract fee bounds (wire form); the latest profile must lie within them", params: merchantParams, body: boundsSchema, response: { 200: merchantSchema, ...profileErrors } },
    },
    async (request) => {
      const merchant = await setMerchantBounds(db, request.params.merchantId, request.body, requestActor(request), clock());
      profiles.catalog.invalidate([merchant.id]);
      return merchant;
    },
  );

  app.get<{ Params: { merchantId: string } }>(
    '/v1/merchants/:merchantId/users',
    { config: { access: 'operator-or-merchant' }, schema: { tags: ['merchants'], summary: "The merchant's staff users", params: merchantParams, response: { 200: { type: 'object', properties: { users: { type: 'array', items: userSchema } } }, ...profileErrors } } },
    async (request) => {
      await getMerchant(db, request.params.merchantId);
      return { users: await listUsers(db, { role: 'merchant', tenantId: request.params.merchantId }) };
    },
  );

  app.post<{ Params: { merchantId: string }; Body: { username: string; password: string } }>(
    '/v1/merchants/:merchantId/users',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['merchants'],
        summary: 'Create a staff user of the merchant (by a signed-in operator, who may then not approve that user\'s changes)',
        params: merchantParams,
        body: { type: 'object', required: ['username', 'password'], additionalProperties: false, properties: { username: { type: 'string', minLength: 2, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 1024 } } },
        response: { 201: userSchema, ...profileErrors },
      },
    },
    async (request, reply) => {
      const creator = request.principal?.userId;
      // Maker-checker: the creator knows the first password; recording them is what stops them approving as that user's checker.
      if (creator === undefined) throw stewardError('STW_AUTH_FORBIDDEN', 'merchant users are created by a signed-in operator user, not an API token');
      const { merchantId } = request.params;
      const now = clock();
      const user = await atomically(
        db,
        async (trx) => {
          await getMerchant(trx, merchantId);
          const created = await createUser(trx, { username: request.body.username, role: 'merchant', tenantId: merchantId, password: request.body.password }, now);
          await trx.updateTable('users').set({ created_by: creator }).where('id', '=', created.id).execute();
          await appendAudit(trx, { actor: requestActor(request), action: 'merchant.user.created', tenantId: merchantId, subject: `user:${created.id}`, after: { username: created.username, role: created.role } }, now);
          return created;
        },
        { retryUniqueViolations: true },
      );
      return reply.code(201).send(user);
    },
  );
};
