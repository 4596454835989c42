/**
 * A merchant's profile, for the merchant and for operators (`operator-or-merchant`): the
 * current profile with adoption, versions and their diff, changes (propose, read, withdraw)
 * and a dry-run validation for forms. Everything masked. A change id of another merchant
 * answers 404, exactly like no change.
 *
 * GET /v1/merchants/:merchantId/profile
 * GET /v1/merchants/:merchantId/profile/versions[/:version]; GET .../profile/diff?from=&to=
 * GET|POST /v1/merchants/:merchantId/profile/changes; GET .../changes/:changeId; POST .../changes/:changeId/withdraw
 * POST /v1/merchants/:merchantId/profile/validate
 */
import type { FastifyPluginAsync } from 'fastify';
import type { JsonObject } from '../../manifests/index.js';
import { getMerchant } from '../accounts/merchants.js';
import { stewardError } from '../errors.js';
import { pendingDiff as pendingDiffOf } from './change-plan.js';
import { merchantProfileView, versionDetail, versionSummary } from './merchant-profile-view.js';
import { changeView, type ProfileChange } from './profile-change-record.js';
import { profileDiff } from './profile-diff.js';
import {
  changeRequestSchema, changeSchema, diffSchema, issuesResultSchema, merchantChangeParams, merchantParams, MERCHANT_ID_PATTERN, profileErrors, versionDetailSchema, versionSummarySchema,
} from './profile-schemas.js';
import type { ProfileServices } from './profile-services.js';
import { defaultsOf, effectiveMerchantVersion, listMerchantVersions, merchantVersion } from './profile-versions.js';

interface ChangeBody {
  layer: string;
  patch: JsonObject;
  effectiveAt?: string;
}

const versionParams = { type: 'object', required: ['merchantId', 'version'], properties: { merchantId: { type: 'string', pattern: MERCHANT_ID_PATTERN }, version: { type: 'integer', minimum: 1, maximum: 2147483647 } } } as const;
const stateQuery = { type: 'string', enum: ['pending', 'published', 'rejected', 'withdrawn'] } as const;

export const profileRoutes: FastifyPluginAsync<{ profiles: ProfileServices; offlineBefore: () => string }> = async (app, { profiles, offlineBefore }) => {
  const { db, clock, changes } = profiles;

  /** The change, if it is this merchant's; 404 otherwise. */
  async function ownChange(merchantId: string, changeId: string): Promise<ProfileChange> {
    const change = await changes.find(changeId);
    if (!change || change.merchantId !== merchantId) throw stewardError('STW_PROFILE_CHANGE_NOT_FOUND', `merchant ${merchantId} has no change ${changeId}`);
    return change;
  }

  const pendingDiff = (change: ProfileChange) => pendingDiffOf(db, change);

  app.get<{ Params: { merchantId: string } }>(
    '/v1/merchants/:merchantId/profile',
    {
      config: { access: 'operator-or-merchant' },
      schema: {
        tags: ['profiles'],
        summary: 'The profile in effect (masked), scheduled versions, changes waiting for approval, and adoption ("applied on N of M terminals")',
        params: merchantParams,
        response: {
          200: {
            type: 'object',
            properties: {
              merchantId: { type: 'string' },
              current: { anyOf: [versionDetailSchema, { type: 'null' }] },
              scheduled: { type: 'array', items: versionSummarySchema },
              pendingChanges: { type: 'array', items: changeSchema },
              adoption: { type: 'object', additionalProperties: true },
            },
          },
          ...profileErrors,
        },
      },
    },
    async (request) => {
      await getMerchant(db, request.params.merchantId);
      return merchantProfileView(db, request.params.merchantId, clock(), offlineBefore());
    },
  );

  app.get<{ Params: { merchantId: string }; Querystring: { before?: number; limit: number } }>(
    '/v1/merchants/:merchantId/profile/versions',
    {
      config: { access: 'operator-or-merchant' },
      schema: {
        tags: ['profiles'],
        summary: 'Versions, newest first (status current, scheduled or superseded)',
        params: merchantParams,
        querystring: { type: 'object', additionalProperties: false, properties: { before: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } } },
        response: { 200: { type: 'object', properties: { versions: { type: 'array', items: versionSummarySchema } } }, ...profileErrors },
      },
    },
    async (request) => {
      const { merchantId } = request.params;
      await getMerchant(db, merchantId);
      const now = clock();
      const current = (await effectiveMerchantVersion(db, merchantId, now))?.version ?? null;
      const versions = await listMerchantVersions(db, merchantId, request.query);
      return { versions: versions.map((version) => versionSummary(version, current, now)) };
    },
  );

  app.get<{ Params: { merchantId: string; version: number } }>(
    '/v1/merchants/:merchantId/profile/versions/:version',
    { config: { access: 'operator-or-merchant' }, schema: { tags: ['profiles'], summary: 'One version: its merchant-level profile and layers (masked)', params: versionParams, response: { 200: versionDetailSchema, ...profileErrors } } },
    async (request) => {
      const { merchantId, version } = request.params;
      await getMerchant(db, merchantId);
      const found = await merchantVersion(db, merchantId, version);
      if (!found) throw stewardError('STW_PROFILE_NOT_FOUND', `merchant ${merchantId} has no profile version ${version}`);
      const now = clock();
      return versionDetail(db, found, (await effectiveMerchantVersion(db, merchantId, now))?.version ?? null, now);
    },
  );

  app.get<{ Params: { merchantId: string }; Querystring: { from: number; to: number } }>(
    '/v1/merchants/:merchantId/profile/diff',
    {
      config: { access: 'operator-or-merchant' },
      schema: {
        tags: ['profiles'],
        summary: 'What changed between two versions, field by field (terminal overrides under terminals.<TID>; accounts masked)',
        params: merchantParams,
        querystring: { type: 'object', required: ['from', 'to'], additionalProperties: false, properties: { from: { type: 'integer', minimum: 0 }, to: { type: 'integer', minimum: 1 } } },
        response: { 200: { type: 'object', properties: { from: { type: 'integer' }, to: { type: 'integer' }, changes: diffSchema } }, ...profileErrors },
      },
    },
    async (request) => {
      const { merchantId } = request.params;
      const { from, to } = request.query;
      await getMerchant(db, merchantId);
      const state = async (version: number) => {
        if (version === 0) return undefined; // from 0: everything is new
        const found = await merchantVersion(db, merchantId, version);
        if (!found) throw stewardError('STW_PROFILE_NOT_FOUND', `merchant ${merchantId} has no profile version ${version}`);
        return { defaults: await defaultsOf(db, found), layers: found.layers };
      };
      return { from, to, changes: profileDiff(await state(from), await state(to)) };
    },
  );

  app.get<{ Params: { merchantId: string }; Querystring: { state?: 'pending' | 'published' | 'rejected' | 'withdrawn'; before?: string; limit: number } }>(
    '/v1/merchants/:merchantId/profile/changes',
    {
      config: { access: 'operator-or-merchant' },
      schema: {
        tags: ['profiles'],
        summary: "The merchant's profile changes, newest first",
        params: merchantParams,
        querystring: { type: 'object', additionalProperties: false, properties: { state: stateQuery, before: { type: 'string', maxLength: 40 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } } },
        response: { 200: { type: 'object', properties: { changes: { type: 'array', items: changeSchema } } }, ...profileErrors },
      },
    },
    async (request) => {
      await getMerchant(db, request.params.merchantId);
      const list = await changes.list({ merchantId: request.params.merchantId, ...request.query });
      return { changes: await Promise.all(list.map(async (change) => changeView(change, await pendingDiff(change)))) };
    },
  );

  app.post<{ Params: { merchantId: string }; Body: ChangeBody }>(
    '/v1/merchants/:merchantId/profile/changes',
    {
      config: { access: 'operator-or-merchant' },
      schema: {
        tags: ['profiles'],
        summary: 'Propose a change to the merchant layer or a terminal override: 201 published at once, or 202 waiting for approval (settlement account, fees)',
        params: merchantParams,
        body: changeRequestSchema,
        response: { 201: changeSchema, 202: changeSchema, ...profileErrors },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw stewardError('STW_AUTH_REQUIRED', 'a bearer token is required');
      const change = await changes.propose(principal, { merchantId: request.params.merchantId, ...request.body });
      return reply.code(change.state === 'pending' ? 202 : 201).send(changeView(change, await pendingDiff(change)));
    },
  );

  app.get<{ Params: { merchantId: string; changeId: string } }>(
    '/v1/merchants/:merchantId/profile/changes/:changeId',
    { config: { access: 'operator-or-merchant' }, schema: { tags: ['profiles'], summary: 'One change and its state (a pending one with what it would change now)', params: merchantChangeParams, response: { 200: changeSchema, ...profileErrors } } },
    async (request) => {
      const change = await ownChange(request.params.merchantId, request.params.changeId);
      return changeView(change, await pendingDiff(change));
    },
  );

  app.post<{ Params: { merchantId: string; changeId: string } }>(
    '/v1/merchants/:merchantId/profile/changes/:changeId/withdraw',
    { config: { access: 'operator-or-merchant' }, schema: { tags: ['profiles'], summary: 'Withdraw a pending change (its requester, or a user of the same merchant)', params: merchantChangeParams, response: { 200: changeSchema, ...profileErrors } } },
    async (request) => {
      const principal = request.principal;
      if (!principal) throw stewardError('STW_AUTH_REQUIRED', 'a bearer token is required');
      await ownChange(request.params.merchantId, request.params.changeId);
      return changeView(await changes.withdraw(principal, request.params.changeId));
    },
  );

  app.post<{ Params: { merchantId: string }; Body: ChangeBody }>(
    '/v1/merchants/:merchantId/profile/validate',
    {
      config: { access: 'operator-or-merchant' },
      schema: {
        tags: ['profiles'],
        summary: 'Dry run of a change: field-level issues, whether it needs approval, and what it would change; nothing is stored',
        params: merchantParams,
        body: changeRequestSchema,
        response: { 200: issuesResultSchema, ...profileErrors },
      },
    },
    async (request) => {
      const plan = await changes.preview({ merchantId: request.params.merchantId, layer: request.body.layer, patch: request.body.patch });
      return { valid: plan.issues.length === 0, sensitive: plan.sensitive, issues: plan.issues, diff: plan.diff };
    },
  );

};
