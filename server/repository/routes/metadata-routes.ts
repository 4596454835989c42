/**
 * Serving TUF metadata (public: it is signed). Consistent snapshots (TUF 5.5.1 onwards):
 * `N.root.json`, `N.snapshot.json`, `N.targets.json`, `N.<vendor>.json` never change and are
 * cached for a year; `timestamp.json` (and the latest `root.json`) are revalidated with ETags.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { stewardError } from '../../errors.js';
import type { StoredMetadata } from '../metadata-rows.js';
import type { RepositoryService } from '../repository-service.js';
import { errorSchema } from './schemas.js';

const VERSIONED = /^(\d{1,9})\.(.+)\.json$/;
const LATEST = /^(.+)\.json$/;

export const metadataRoutes: FastifyPluginAsync<{ repository: RepositoryService }> = async (app, { repository }) => {
  app.get<{ Params: { file: string } }>(
    '/v1/repository/metadata/:file',
    {
      config: { access: 'public' },
      schema: {
        tags: ['repository'],
        summary: 'A TUF metadata file: timestamp.json, VERSION.ROLE.json, or ROLE.json (latest)',
        params: { type: 'object', properties: { file: { type: 'string', maxLength: 300 } }, required: ['file'] },
        response: { 200: { type: 'object', additionalProperties: true }, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const { file } = request.params;
      const versioned = VERSIONED.exec(file);
      if (versioned) {
        const stored = await repository.at(versioned[2] as string, Number(versioned[1]));
        return send(request, reply, stored, 'public, max-age=31536000, immutable');
      }
      const latest = LATEST.exec(file);
      if (latest) return send(request, reply, await repository.latest(latest[1] as string), 'no-cache');
      throw stewardError('STW_NOT_FOUND', `no metadata named ${file}`);
    },
  );
};

function send(request: FastifyRequest, reply: FastifyReply, stored: StoredMetadata | undefined, cacheControl: string): FastifyReply {
  if (!stored) throw stewardError('STW_NOT_FOUND', 'no such metadata');
  const etag = `"${stored.sha256}"`;
  void reply.header('etag', etag).header('cache-control', cacheControl);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(stored.body);
}
