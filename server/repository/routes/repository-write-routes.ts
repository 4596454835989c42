/**
 * Writing to the repository. The operator uploads root and top-level targets signed offline;
 * a vendor uploads artifacts and its delegated role signed offline. The server verifies
 * each against the trust chain before publishing it with a new snapshot and timestamp.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { RepositoryService } from '../repository-service.js';
import type { ServerMetrics } from '../../http/metrics.js';
import { errorResponses, publicationSchema, signedMetadataSchema } from './schemas.js';

const vendorParams = { type: 'object', properties: { vendorId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } }, required: ['vendorId'] } as const;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export const repositoryWriteRoutes: FastifyPluginAsync<{ repository: RepositoryService; metrics: ServerMetrics }> = async (app, { repository, metrics }) => {
  app.put(
    '/v1/repository/root',
    { config: { access: 'operator' }, schema: { tags: ['repository'], summary: 'Upload a root signed offline', body: signedMetadataSchema, response: { 200: publicationSchema, ...errorResponses } } },
    async (request) => {
      const result = await repository.submitRoot(request.body);
      metrics.publications.inc({ kind: 'root' });
      return result;
    },
  );

  app.put(
    '/v1/repository/targets',
    { config: { access: 'operator' }, schema: { tags: ['repository'], summary: 'Upload top-level targets (vendor delegations) signed offline', body: signedMetadataSchema, response: { 200: publicationSchema, ...errorResponses } } },
    async (request) => {
      const result = await repository.submitTopLevelTargets(request.body);
      metrics.publications.inc({ kind: 'targets' });
      return result;
    },
  );

  app.post(
    '/v1/operator/repository/resign',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['repository'],
        summary: 'Re-sign snapshot / timestamp now if they are due (the server also does this on a timer)',
        response: { 200: { type: 'object', required: ['published'], properties: { published: { type: 'string', enum: ['snapshot', 'timestamp', 'nothing'] } } }, ...errorResponses },
      },
    },
    async () => ({ published: await repository.resignIfDue() }),
  );

  app.put<{ Params: { vendorId: string } }>(
    '/v1/vendors/:vendorId/role',
    {
      config: { access: 'vendor' },
      schema: { tags: ['vendor'], summary: "Publish the vendor's delegated targets role, signed offline", params: vendorParams, body: signedMetadataSchema, response: { 200: publicationSchema, ...errorResponses } },
    },
    async (request) => {
      const result = await repository.submitVendorRole(request.params.vendorId, request.body);
      metrics.publications.inc({ kind: 'vendor' });
      return result;
    },
  );

  app.put<{ Params: { vendorId: string }; Querystring: { sha256?: string } }>(
    '/v1/vendors/:vendorId/artifacts',
    {
      config: { access: 'vendor' },
      schema: {
        tags: ['vendor'],
        summary: 'Upload an artifact (application/octet-stream, streamed); ?sha256= makes the server check it',
        params: vendorParams,
        querystring: { type: 'object', properties: { sha256: { type: 'string', pattern: SHA256_HEX.source } } },
        response: {
          201: { type: 'object', required: ['sha256', 'sha512', 'length'], properties: { sha256: { type: 'string' }, sha512: { type: 'string' }, length: { type: 'integer' } } },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const declared = request.headers['content-length'];
      const artifact = await repository.uploadArtifact(request.body as NodeJS.ReadableStream as never, {
        expectedSha256: request.query.sha256,
        declaredLength: declared === undefined ? undefined : Number(declared),
      });
      return reply.code(201).send(artifact);
    },
  );

  app.get<{ Params: { vendorId: string } }>(
    '/v1/vendors/:vendorId/releases',
    {
      config: { access: 'operator-or-vendor' },
      schema: {
        tags: ['vendor'],
        summary: "The vendor's published releases",
        params: vendorParams,
        response: {
          200: {
            type: 'object',
            properties: {
              releases: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    targetPath: { type: 'string' }, component: { type: 'string' }, version: { type: 'string' }, hardwareIds: { type: 'array', items: { type: 'string' } },
                    minFromVersion: { type: ['string', 'null'] }, notes: { type: 'string' }, length: { type: 'integer' }, sha256: { type: 'string' }, createdAt: { type: 'string' },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => ({ releases: await repository.releases(request.params.vendorId) }),
  );
};
