/**
 * Prometheus metrics at `/metrics`: process defaults plus request counts and durations by
 * route pattern (never by raw URL, so cardinality stays bounded). One registry per server
 * instance, so several instances can live in one process.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  readonly registry: Registry;
  readonly publications: Counter<'kind'>;
}

export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'steward_' });
  const publications = new Counter({ name: 'steward_repository_publications_total', help: 'Accepted repository publications', labelNames: ['kind'] as const, registers: [registry] });
  return { registry, publications };
}

/** Adds the request hook to `app`'s context (so it sees every route registered after) and the route. */
export function installMetrics(app: FastifyInstance, metrics: ServerMetrics): void {
  const requests = new Counter({ name: 'steward_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'] as const, registers: [metrics.registry] });
  const durations = new Histogram({
    name: 'steward_http_request_duration_seconds',
    help: 'HTTP request durations',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    durations.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { access: 'public' }, schema: { tags: ['health'], response: { 200: { type: 'string' } } } }, async (_request, reply) => {
    void reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
