/**
 * The route a terminal fetches its profile from (protocol.md): the exact bytes the director
 * named for it, by version. Signed by the device (RFC 9421, `access: 'device'`); a GET has no
 * body, so its Content-Digest is that of the empty body (RFC 9530). These bytes carry the full
 * settlement account: only the device itself may read them, and only its own merchant's
 * profile with its own TID.
 *
 * GET /v1/devices/:deviceId/profiles/:version -> 200 application/json | 404 STW_PROFILE_NOT_FOUND
 */
import type { FastifyPluginAsync } from 'fastify';
import { stewardError } from '../errors.js';
import { DEVICE_ID_PATTERN } from '../fleet/routes/fleet-schemas.js';
import type { ProfileServices } from './profile-services.js';
import { errorSchema, profileErrors } from './profile-schemas.js';

export const deviceProfileRoutes: FastifyPluginAsync<{ profiles: ProfileServices }> = async (app, { profiles }) => {
  app.get<{ Params: { deviceId: string; version: number } }>(
    '/v1/devices/:deviceId/profiles/:version',
    {
      config: { access: 'device' },
      schema: {
        tags: ['devices'],
        summary: "The device's merchant profile at a version the director named (signed request, RFC 9421)",
        params: { type: 'object', required: ['deviceId', 'version'], properties: { deviceId: { type: 'string', pattern: DEVICE_ID_PATTERN }, version: { type: 'integer', minimum: 1, maximum: 2147483647 } } },
        response: { 200: { type: 'string', description: 'the profile document bytes (application/json)' }, ...profileErrors, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const device = request.device;
      if (!device) throw new Error('device route reached without an authenticated device');
      const rendered = await profiles.catalog.documentFor(device, request.params.version, profiles.clock());
      if (!rendered) throw stewardError('STW_PROFILE_NOT_FOUND', `no profile version ${request.params.version} for this device`);
      return reply
        .header('cache-control', 'no-store')
        .header('etag', `"${rendered.sha256}"`)
        .type('application/json')
        .send(rendered.bytes);
    },
  );
};
