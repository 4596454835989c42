/**
 * Steward as a Fastify plugin, for embedding in an operator's own Fastify app. It owns its
 * error format, JSON limits, access checks and OpenAPI document inside its encapsulation
 * context; `buildServer` is this plugin on a fresh Fastify instance.
 *
 * @example
 * const app = Fastify();
 * await app.register(stewardPlugin, { config: resolveConfig({ databaseUrl: process.env.DATABASE_URL }) });
 */
import type { FastifyPluginAsync } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { parseJson, ManifestError } from '../../manifests/index.js';
import { merchantRoutes } from '../accounts/merchant-routes.js';
import { merchantTerminalRoutes } from '../accounts/merchant-terminal-routes.js';
import { sessionRoutes } from '../accounts/session-routes.js';
import { auditRoutes } from '../audit/index.js';
import { authorise } from '../auth/authenticate.js';
import '../auth/access.js';
import type { Config } from '../config/config.js';
import { consoleRoutes, resolveConsoleDir, vendorAdoptionRoutes } from '../console/index.js';
import { stewardError } from '../errors.js';
import { fleetRoutes } from '../fleet/index.js';
import { rolloutRoutes } from '../fleet/rollouts/index.js';
import { stewardErrorHandler } from '../http/error-handler.js';
import { healthRoutes } from '../http/health-routes.js';
import { createMetrics, installMetrics } from '../http/metrics.js';
import { operatorRoutes } from '../operator/operator-routes.js';
import { deviceProfileRoutes, profileOperatorRoutes, profileRoutes } from '../profiles/index.js';
import { metadataRoutes } from '../repository/routes/metadata-routes.js';
import { repositoryWriteRoutes } from '../repository/routes/repository-write-routes.js';
import { targetRoutes } from '../repository/routes/target-routes.js';
import { validateConfig } from '../config/validate-config.js';
import { openServices, type ServiceOverrides } from './services.js';

export interface StewardPluginOptions {
  readonly config: Config;
  /** Ready-made parts (a database, blob store, keyring, clock) instead of those the config names. */
  readonly services?: ServiceOverrides;
}

const JSON_MAX_DEPTH = 64; // levels

export const stewardPlugin: FastifyPluginAsync<StewardPluginOptions> = async (app, options) => {
  const config = validateConfig(options.config);
  const services = await openServices(config, options.services);
  app.addHook('onClose', () => services.close());

  app.setErrorHandler(stewardErrorHandler);
  app.setNotFoundHandler((request) => {
    throw stewardError('STW_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
  });

  // Device requests: the raw body for the RFC 9530 digest check, and the verified device.
  app.decorateRequest('rawBody', undefined);
  app.decorateRequest('device', undefined);
  // JSON bodies: size and nesting limits before JSON.parse (hostile metadata, TUF "endless data").
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: config.maxMetadataBytes }, (request, body, done) => {
    request.rawBody = body as Buffer;
    try {
      done(null, parseJson(body as Buffer, { maxBytes: config.maxMetadataBytes, maxDepth: JSON_MAX_DEPTH }));
    } catch (error) {
      const reason = error instanceof ManifestError ? error.details?.['reason'] : undefined;
      done(reason === 'too-large' ? stewardError('STW_REQUEST_TOO_LARGE', 'the body is too large') : stewardError('STW_REQUEST_MALFORMED_JSON', 'the body is not acceptable JSON', { reason }), undefined);
    }
  });
  // Artifacts stream straight into the blob store; the store enforces the size limit.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  // Every /v1 route must declare who may call it; checked when the route is added.
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (route.url.startsWith('/v1/') && access === undefined) throw new Error(`route ${route.method} ${route.url} declares no access policy`);
    const security = access === 'public' ? {} : { security: [access === 'device' ? { deviceSignature: [] } : { bearer: [] }] };
    if (access !== undefined) route.schema = { ...route.schema, 'x-access': access, ...security } as unknown as typeof route.schema;
  });
  // Authorise before the body is read or validated: strangers learn nothing, not even schema errors.
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access !== undefined) await authorise(services.db, request, access, services.fleet.authenticator, services.clock());
  });
  // RFC 9530: a signed device request's body must match the Content-Digest its signature covers.
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config.access === 'device') services.fleet.authenticator.checkBodyDigest(request);
  });

  const metrics = createMetrics();
  installMetrics(app, metrics);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Steward', description: 'Terminal management: TUF repository, fleet, profiles', version: '1' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          deviceSignature: { type: 'apiKey', in: 'header', name: 'Signature', description: 'RFC 9421 signature by the device key, with Signature-Input and an RFC 9530 Content-Digest (docs/protocol.md section 2)' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes, { db: services.db });
  await app.register(metadataRoutes, { repository: services.repository });
  await app.register(targetRoutes, { repository: services.repository, presignDownloads: config.presignDownloads });
  await app.register(repositoryWriteRoutes, { repository: services.repository, metrics });
  await app.register(operatorRoutes, { db: services.db, clock: services.clock });
  await app.register(sessionRoutes, { db: services.db, clock: services.clock });
  await app.register(auditRoutes, { db: services.db });
  await app.register(fleetRoutes, { fleet: services.fleet });
  await app.register(rolloutRoutes, { db: services.db, clock: services.clock, planner: services.fleet.planner });
  const offlineBefore = () => services.fleet.devices.offlineBefore();
  await app.register(merchantRoutes, { profiles: services.profiles });
  await app.register(merchantTerminalRoutes, { profiles: services.profiles, offlineBefore });
  await app.register(profileRoutes, { profiles: services.profiles, offlineBefore });
  await app.register(profileOperatorRoutes, { profiles: services.profiles });
  await app.register(deviceProfileRoutes, { profiles: services.profiles });
  await app.register(vendorAdoptionRoutes, { db: services.db });
  await app.register(consoleRoutes, { consoleDir: resolveConsoleDir(config.consoleDir) });

  services.startBackgroundWork(app.log);
};
