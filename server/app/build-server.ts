/**
 * A standalone Steward server: Fastify with structured logs (pino; secrets redacted) and the
 * Steward plugin.
 *
 * @example
 * const app = await buildServer(loadConfig());
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { stewardPlugin, type StewardPluginOptions } from './steward-plugin.js';

export async function buildServer(config: Config, services?: StewardPluginOptions['services']): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["signature"]'], censor: '[redacted]' },
    },
    bodyLimit: config.maxMetadataBytes,
    return503OnClosing: true,
  });
  await app.register(stewardPlugin, { config, ...(services ? { services } : {}) });
  await app.ready();
  return app;
}
