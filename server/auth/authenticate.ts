/**
 * Enforces each route's declared `config.access` (see access.ts) as the request arrives:
 * bearer token -> principal -> scope and tenant check. Failures are 401 (no or bad token)
 * or 403 (valid token, not allowed here), never a hint about other tenants' data.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import type { Access } from './access.js';
import { resolveToken, type Principal } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** Who a token-authenticated route acts as, for the audit log (`user:<id>` or `token:<id>`). */
export function requestActor(request: FastifyRequest): string {
  if (!request.principal) throw stewardError('STW_AUTH_REQUIRED', 'a bearer token is required');
  return request.principal.actor;
}

/** Checks a device-signed request (see server/fleet/identity/device-authenticator.ts). */
export interface DeviceRequestAuthenticator {
  authenticate(request: FastifyRequest): Promise<void>;
}

export async function authorise(db: Kysely<Database>, request: FastifyRequest, access: Access, devices?: DeviceRequestAuthenticator, now = new Date()): Promise<void> {
  if (access === 'public') return;
  const token = bearerToken(request);
  if (access === 'device' && token === undefined) {
    if (!devices) throw stewardError('STW_INTERNAL', 'device requests cannot be checked here');
    return devices.authenticate(request);
  }
  if (!token) throw stewardError('STW_AUTH_REQUIRED', 'a bearer token is required');
  const principal = await resolveToken(db, token, now);
  if (!principal) throw stewardError('STW_AUTH_INVALID', 'the token is not valid');
  request.principal = principal;
  if (!isAllowed(principal, access, request.params as Record<string, string | undefined>)) throw stewardError('STW_AUTH_FORBIDDEN', 'this token may not do that');
}

/** Whether a principal passes a route's access policy, given the route's path parameters. */
export function isAllowed(principal: Principal, access: Access, params: Record<string, string | undefined>): boolean {
  const { scope } = principal;
  const isOperator = scope.kind === 'operator';
  const isNamedVendor = scope.kind === 'vendor' && params['vendorId'] !== undefined && scope.vendorId === params['vendorId'];
  const isNamedMerchant = scope.kind === 'merchant' && params['merchantId'] !== undefined && scope.merchantId === params['merchantId'];
  switch (access) {
    case 'public':
    case 'signed-in':
      return true;
    case 'operator':
      return isOperator;
    case 'vendor':
      return isNamedVendor;
    case 'operator-or-vendor':
      return isOperator || isNamedVendor;
    case 'merchant':
      return isNamedMerchant;
    case 'operator-or-merchant':
      return isOperator || isNamedMerchant;
    case 'device':
      return false; // a token, even a valid one, never speaks for a device
  }
}
