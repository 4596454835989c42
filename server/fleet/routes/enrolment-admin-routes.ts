/** Operator routes that prepare enrolment: vendors' manufacturing CAs and one-time enrolment tokens. */
import type { FastifyPluginAsync } from 'fastify';
import { stewardError } from '../../errors.js';
import { issueEnrolmentToken } from '../enrolment/enrolment-tokens.js';
import { manufacturingCas, replaceManufacturingCas } from '../enrolment/manufacturing-cas.js';
import type { FleetServices } from '../fleet-services.js';
import { errorResponses, vendorParams } from './fleet-schemas.js';

const MAX_TOKEN_LIFETIME_SECONDS = 365 * 24 * 3600; // 1 year
const DEFAULT_TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600; // 7 days

const caListSchema = {
  type: 'object',
  properties: { certificates: { type: 'array', items: { type: 'object', properties: { fingerprint: { type: 'string' }, certificatePem: { type: 'string' }, createdAt: { type: 'string' } } } } },
} as const;

interface TokenBody {
  label: string;
  uses?: number;
  expiresInSeconds?: number;
  hardwareModel?: string;
  merchantId?: string;
  tags?: string[];
}

export const enrolmentAdminRoutes: FastifyPluginAsync<{ fleet: FleetServices }> = async (app, { fleet }) => {
  app.put<{ Params: { vendorId: string }; Body: { certificates: string[] } }>(
    '/v1/operator/vendors/:vendorId/manufacturing-ca',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operator'],
        summary: "Replace the vendor's manufacturing CA certificates (PEM), the trust anchors of zero-touch enrolment",
        params: vendorParams,
        body: { type: 'object', required: ['certificates'], additionalProperties: false, properties: { certificates: { type: 'array', minItems: 1, maxItems: 8, items: { type: 'string', maxLength: 16384 } } } },
        response: { 200: caListSchema, ...errorResponses },
      },
    },
    async (request) => {
      const cas = await replaceManufacturingCas(fleet.db, request.params.vendorId, request.body.certificates, fleet.clock());
      return { certificates: cas.map(({ fingerprint, certificatePem, createdAt }) => ({ fingerprint, certificatePem, createdAt })) };
    },
  );

  app.get<{ Params: { vendorId: string } }>(
    '/v1/operator/vendors/:vendorId/manufacturing-ca',
    { config: { access: 'operator' }, schema: { tags: ['operator'], summary: "The vendor's manufacturing CA certificates", params: vendorParams, response: { 200: caListSchema, ...errorResponses } } },
    async (request) => {
      const cas = await manufacturingCas(fleet.db, request.params.vendorId);
      return { certificates: cas.map(({ fingerprint, certificatePem, createdAt }) => ({ fingerprint, certificatePem, createdAt })) };
    },
  );

  app.post<{ Body: TokenBody }>(
    '/v1/operator/enrolment-tokens',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operator'],
        summary: 'Issue a one-time enrolment token (shown once), optionally bound to a hardware model, merchant and tags',
        body: {
          type: 'object',
          required: ['label'],
          additionalProperties: false,
          properties: {
            label: { type: 'string', minLength: 1, maxLength: 200 },
            uses: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
            expiresInSeconds: { type: 'integer', minimum: 60, maximum: MAX_TOKEN_LIFETIME_SECONDS, default: DEFAULT_TOKEN_LIFETIME_SECONDS },
            hardwareModel: { type: 'string', minLength: 1, maxLength: 64 },
            merchantId: { type: 'string', minLength: 1, maxLength: 64 },
            tags: { type: 'array', maxItems: 32, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 } },
          },
        },
        response: {
          201: { type: 'object', required: ['tokenId', 'token', 'uses', 'expiresAt'], properties: { tokenId: { type: 'string' }, token: { type: 'string' }, uses: { type: 'integer' }, expiresAt: { type: 'string' } } },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { label, uses, expiresInSeconds, hardwareModel, merchantId, tags } = request.body;
      const now = fleet.clock();
      if (uses === undefined || expiresInSeconds === undefined) throw stewardError('STW_INTERNAL', 'schema defaults were not applied');
      const expiresAt = new Date(now.getTime() + expiresInSeconds * 1000).toISOString();
      return reply.code(201).send(await issueEnrolmentToken(fleet.db, { label, uses, expiresAt, hardwareModel, merchantId, tags }, now));
    },
  );
};
