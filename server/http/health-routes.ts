/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers). */
import type { FastifyPluginAsync } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';

const statusSchema = { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] } as const;

export const healthRoutes: FastifyPluginAsync<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/healthz', { config: { access: 'public' }, schema: { tags: ['health'], response: { 200: statusSchema } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'public' }, schema: { tags: ['health'], response: { 200: statusSchema } } }, async () => {
    try {
      await sql`select 1`.execute(db);
    } catch (error) {
      throw stewardError('STW_UNAVAILABLE', 'the database does not answer', undefined, error);
    }
    return { status: 'ready' };
  });
};
