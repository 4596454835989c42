/**
 * Serving targets (public: the client checks length and hashes against signed metadata).
 * Names are consistent (`<dir>/<hash>.<file>`, TUF 5.7.3), so responses are immutable.
 * Range requests resume interrupted downloads (RFC 9110 14); with `presignDownloads` on an
 * S3 store the client is redirected to object storage.
 */
import type { FastifyPluginAsync } from 'fastify';
import { stewardError } from '../../errors.js';
import { parseByteRange } from '../../http/byte-range.js';
import type { RepositoryService } from '../repository-service.js';
import { splitConsistentTargetName } from '../target-path.js';
import { errorSchema } from './schemas.js';

export const targetRoutes: FastifyPluginAsync<{ repository: RepositoryService; presignDownloads: boolean }> = async (app, { repository, presignDownloads }) => {
  app.get<{ Params: { '*': string } }>(
    '/v1/repository/targets/*',
    {
      config: { access: 'public' },
      schema: {
        tags: ['repository'],
        summary: 'A target file by its consistent name DIR/HASH.FILE; supports Range',
        response: { 200: { type: 'string', format: 'binary' }, 206: { type: 'string', format: 'binary' }, 404: errorSchema, 416: errorSchema },
      },
    },
    async (request, reply) => {
      const name = request.params['*'];
      const parts = splitConsistentTargetName(name);
      const target = parts && (await repository.findTarget(parts.path, parts.hash));
      if (!target) throw stewardError('STW_NOT_FOUND', `no target named ${name}`);
      const etag = `"${target.sha256}"`;
      void reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable').header('accept-ranges', 'bytes');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      const blobs = repository.blobs;
      if (presignDownloads && blobs.presignGet) return reply.redirect(await blobs.presignGet(target.sha256, { expiresInSeconds: 300 }), 302);
      const range = parseByteRange(request.headers.range, target.length);
      if (range.kind === 'unsatisfiable') {
        return reply.code(416).header('content-range', `bytes */${target.length}`).send({ error: { code: 'STW_REQUEST_INVALID', message: 'range not satisfiable' } });
      }
      const found = await blobs.get(target.sha256, range.kind === 'range' ? { start: range.start, end: range.end } : undefined);
      if (!found) throw stewardError('STW_ARTIFACT_NOT_FOUND', 'the artifact is missing from storage');
      void reply.type('application/octet-stream').header('content-length', String(found.length));
      if (range.kind === 'range') void reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${target.length}`);
      return reply.send(found.body);
    },
  );
};
