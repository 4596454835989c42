/**
 * The director's root: uploaded by the operator (signed offline, like the image root) and
 * served publicly, every version, so a terminal can follow a root rotation step by step
 * (TUF 5.3: N.root.json, then N+1.root.json, until there is none).
 */
import type { FastifyPluginAsync } from 'fastify';
import { stewardError } from '../../errors.js';
import type { FleetServices } from '../fleet-services.js';
import { errorResponses, errorSchema, signedMetadataSchema } from './fleet-schemas.js';

const VERSIONED_ROOT = /^([1-9]\d{0,8})\.root\.json$/;

export const directorRoutes: FastifyPluginAsync<{ fleet: FleetServices }> = async (app, { fleet }) => {
  app.put(
    '/v1/director/root',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['director'],
        summary: "Upload the director's root, signed offline (first: its own threshold; later: current and new thresholds, version + 1)",
        body: signedMetadataSchema,
        response: { 200: { type: 'object', required: ['version'], properties: { version: { type: 'integer' } } }, ...errorResponses },
      },
    },
    async (request) => fleet.directorRoots.submit(request.body),
  );

  app.get<{ Params: { file: string } }>(
    '/v1/director/metadata/:file',
    {
      config: { access: 'public' },
      schema: {
        tags: ['director'],
        summary: "The director's root: root.json (latest) or N.root.json",
        params: { type: 'object', required: ['file'], properties: { file: { type: 'string', maxLength: 32 } } },
        response: { 200: { type: 'object', additionalProperties: true }, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const { file } = request.params;
      const versioned = VERSIONED_ROOT.exec(file);
      const body = versioned ? await fleet.directorRoots.at(Number(versioned[1])) : file === 'root.json' ? (await fleet.directorRoots.current())?.body : undefined;
      if (body === undefined) throw stewardError('STW_NOT_FOUND', `no director metadata named ${file}`);
      return reply.header('cache-control', versioned ? 'public, max-age=31536000, immutable' : 'no-cache').type('application/json; charset=utf-8').send(body);
    },
  );
};
