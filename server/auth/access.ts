import 'fastify';
/**
 * The access policy every route declares in `config.access`; a route without one is refused
 * at start-up (see steward-plugin.ts), so no route can be added unguarded.
 *
 * - `public`: anyone (TUF metadata and targets are public and signed; sign-in).
 * - `operator`: operator tokens only.
 * - `vendor`: vendor tokens whose vendor id equals the route's `:vendorId` parameter.
 * - `operator-or-vendor`: an operator, or the vendor named by `:vendorId`.
 * - `merchant`: merchant tokens whose merchant id equals the route's `:merchantId` parameter.
 * - `operator-or-merchant`: an operator, or the merchant named by `:merchantId`.
 * - `signed-in`: any valid token (the handler narrows by the principal's own scope).
 * - `device`: the device named by `:deviceId`, by a request signed with its device key
 *   (RFC 9421 with an RFC 9530 Content-Digest; see server/fleet/identity and protocol.md 2).
 *   Bearer tokens are refused on these routes.
 */
export type Access = 'public' | 'operator' | 'vendor' | 'operator-or-vendor' | 'merchant' | 'operator-or-merchant' | 'signed-in' | 'device';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
