import 'fastify';
/**
 * The access policy every route declares in `config.access`; a route without one is refused
 * at start-up (see steward-plugin.ts), so no route can be added unguarded.
 *
 * - `public`: anyone (TUF metadata and targets are public and signed).
 * - `operator`: operator tokens only.
 * - `vendor`: vendor tokens whose vendor id equals the route's `:vendorId` parameter.
 * - `operator-or-vendor`: an operator, or the vendor named by `:vendorId`.
 * - `device`: the device named by `:deviceId`, by a request signed with its device key
 *   (RFC 9421 with an RFC 9530 Content-Digest; see server/fleet/identity and protocol.md 2).
 *   Bearer tokens are refused on these routes.
 */
export type Access = 'public' | 'operator' | 'vendor' | 'operator-or-vendor' | 'device';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
