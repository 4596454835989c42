/**
 * Operator routes over profiles: the approval queue (with each change's masked diff against
 * what is current now), approve / reject (a signed-in operator user other than the requester),
 * withdraw of an operator's own request, and the operator default layer.
 *
 * GET /v1/profile-changes?state=pending; GET /v1/profile-changes/:changeId
 * POST /v1/profile-changes/:changeId/approve | reject {reason} | withdraw
 * GET|PUT /v1/profiles/default
 */
import type { FastifyPluginAsync } from 'fastify';
import type { JsonObject } from '../../manifests/index.js';
import { stewardError } from '../errors.js';
import { pendingDiff } from './change-plan.js';
import { changeView, type ProfileChange } from './profile-change-record.js';
import { maskFields } from './profile-masking.js';
import { changeParams, changeSchema, patchSchema, profileErrors, wireObject } from './profile-schemas.js';
import type { ProfileServices } from './profile-services.js';
import { effectiveDefault, listDefaults } from './profile-versions.js';

const stateQuery = { type: 'string', enum: ['pending', 'published', 'rejected', 'withdrawn'] } as const;

export const profileOperatorRoutes: FastifyPluginAsync<{ profiles: ProfileServices }> = async (app, { profiles }) => {
  const { db, clock, changes } = profiles;
  const principalOf = (request: { principal: Parameters<typeof changes.approve>[0] | undefined }) => {
    if (!request.principal) throw stewardError('STW_AUTH_REQUIRED', 'a bearer token is required');
    return request.principal;
  };
  const withDiff = async (change: ProfileChange) => changeView(change, await pendingDiff(db, change));

  app.get<{ Querystring: { state?: 'pending' | 'published' | 'rejected' | 'withdrawn'; merchantId?: string; before?: string; limit: number } }>(
    '/v1/profile-changes',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['profiles'],
        summary: 'Profile changes of every merchant and the default layer, newest first (?state=pending: the approval queue, with masked diffs)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { state: stateQuery, merchantId: { type: 'string', maxLength: 64 }, before: { type: 'string', maxLength: 40 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        },
        response: { 200: { type: 'object', properties: { changes: { type: 'array', items: changeSchema } } }, ...profileErrors },
      },
    },
    async (request) => ({ changes: await Promise.all((await changes.list(request.query)).map(withDiff)) }),
  );

  app.get<{ Params: { changeId: string } }>(
    '/v1/profile-changes/:changeId',
    { config: { access: 'operator' }, schema: { tags: ['profiles'], summary: 'One change (a pending one with what it would change now)', params: changeParams, response: { 200: changeSchema, ...profileErrors } } },
    async (request) => {
      const change = await changes.find(request.params.changeId);
      if (!change) throw stewardError('STW_PROFILE_CHANGE_NOT_FOUND', `no profile change ${request.params.changeId}`);
      return withDiff(change);
    },
  );

  app.post<{ Params: { changeId: string } }>(
    '/v1/profile-changes/:changeId/approve',
    {
      config: { access: 'operator' },
      schema: { tags: ['profiles'], summary: 'Approve and publish a pending change (a signed-in operator user other than the requester); re-validated against the current version', params: changeParams, response: { 200: changeSchema, ...profileErrors } },
    },
    async (request) => changeView(await changes.approve(principalOf(request), request.params.changeId)),
  );

  app.post<{ Params: { changeId: string }; Body: { reason: string } }>(
    '/v1/profile-changes/:changeId/reject',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['profiles'],
        summary: 'Reject a pending change, with a reason the merchant is told',
        params: changeParams,
        body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } } },
        response: { 200: changeSchema, ...profileErrors },
      },
    },
    async (request) => changeView(await changes.reject(principalOf(request), request.params.changeId, request.body.reason)),
  );

  app.post<{ Params: { changeId: string } }>(
    '/v1/profile-changes/:changeId/withdraw',
    { config: { access: 'operator' }, schema: { tags: ['profiles'], summary: 'Withdraw a pending change you requested', params: changeParams, response: { 200: changeSchema, ...profileErrors } } },
    async (request) => changeView(await changes.withdraw(principalOf(request), request.params.changeId)),
  );

  app.get(
    '/v1/profiles/default',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['profiles'],
        summary: 'The operator default layer: the version in effect, recent versions, and pending changes (masked)',
        response: { 200: { type: 'object', additionalProperties: true, properties: { current: { anyOf: [wireObject, { type: 'null' }] }, versions: { type: 'array', items: wireObject }, pendingChanges: { type: 'array', items: changeSchema } } }, ...profileErrors },
      },
    },
    async () => {
      const now = clock();
      const current = await effectiveDefault(db, now);
      const view = (version: NonNullable<typeof current>) => ({ version: version.version, effectiveAt: version.effectiveAt, createdAt: version.createdAt, createdBy: version.createdBy, changeId: version.changeId, fields: maskFields(version.fields) });
      return {
        current: current ? view(current) : null,
        versions: (await listDefaults(db, 20)).map(view),
        pendingChanges: await Promise.all((await changes.list({ merchantId: null, state: 'pending', limit: 50 })).map(withDiff)),
      };
    },
  );

  app.put<{ Body: { patch: JsonObject; effectiveAt?: string } }>(
    '/v1/profiles/default',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['profiles'],
        summary: 'Propose a change to the operator default layer: 201 published (a new version for every merchant), or 202 waiting for approval (fees, settlement account)',
        body: { type: 'object', required: ['patch'], additionalProperties: false, properties: { patch: patchSchema, effectiveAt: { type: 'string', format: 'date-time' } } },
        response: { 201: changeSchema, 202: changeSchema, ...profileErrors },
      },
    },
    async (request, reply) => {
      const change = await changes.propose(principalOf(request), { merchantId: null, layer: 'default', ...request.body });
      return reply.code(change.state === 'pending' ? 202 : 201).send(await withDiff(change));
    },
  );
};
