import 'fastify';
/**
 * The access policy every route declares in `config.access`; a route without one is refused
 * at start-up (see steward-plugin.ts), so no route can be added unguarded.
 *
 * - `public`: anyone (TUF metadata and targets are public and signed).
 * - `operator`: operator tokens only.
 * - `vendor`: vendor tokens whose vendor id equals the route's `:vendorId` parameter.
 * - `operator-or-vendor`: an operator, or the vendor named by `:vendorId`.
 */
export type Access = 'public' | 'operator' | 'vendor' | 'operator-or-vendor';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
