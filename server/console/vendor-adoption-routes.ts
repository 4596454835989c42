/**
 * GET /v1/vendors/:vendorId/adoption (operator, or that vendor): each release of the vendor
 * with how many active devices run it out of the devices it could run on (see
 * vendor-adoption.ts). The console's vendor page reads it.
 *
 * @example
 * await app.register(vendorAdoptionRoutes, { db });
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { vendorParams } from '../fleet/routes/fleet-schemas.js';
import { errorResponses } from '../repository/routes/schemas.js';
import { vendorAdoption } from './vendor-adoption.js';

const count = { type: 'integer', minimum: 0 } as const;

const adoptionSchema = {
  type: 'object',
  required: ['releases', 'models'],
  properties: {
    releases: {
      type: 'array',
      items: {
        type: 'object',
        required: ['targetPath', 'component', 'version', 'hardwareIds', 'createdAt', 'devices', 'eligible'],
        properties: {
          targetPath: { type: 'string' }, component: { type: 'string' }, version: { type: 'string' }, hardwareIds: { type: 'array', items: { type: 'string' } },
          createdAt: { type: 'string' }, devices: { ...count, description: 'active devices running this release' }, eligible: { ...count, description: 'active devices of the hardware models it names' },
        },
      },
    },
    models: { type: 'array', items: { type: 'object', required: ['hardwareModel', 'devices'], properties: { hardwareModel: { type: 'string' }, devices: count } } },
  },
} as const;

export const vendorAdoptionRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get<{ Params: { vendorId: string } }>(
    '/v1/vendors/:vendorId/adoption',
    {
      config: { access: 'operator-or-vendor' },
      schema: { tags: ['vendor'], summary: "Adoption of the vendor's releases: devices running each, out of the devices of the models it names", params: vendorParams, response: { 200: adoptionSchema, ...errorResponses } },
    },
    async (request) => vendorAdoption(db, request.params.vendorId),
  );
};
