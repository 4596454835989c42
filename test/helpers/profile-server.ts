/**
 * Merchants, people and profiles for tests, on top of the fleet test server: operator users
 * (created as the CLI does, directly in the database) who sign in, merchants and their staff
 * created through the API, merchant API tokens, and a merchant whose first full profile was
 * requested by one operator and approved by another.
 *
 * @example
 * const world = await startProfileWorld(t, { database: 'postgres' });
 * const ana = await world.operatorUser('ana');
 * await world.merchant('M1');
 * const response = await world.as(ana.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'merchant', patch });
 */
import type { LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import type { JsonObject } from '../../manifests/index.js';
import { createUser } from '../../server/accounts/users.js';
import type { DatabaseKind } from './databases.js';
import { startFleetServer, type FleetServerOptions, type FleetTestServer } from './fleet-harness.js';
import { validProfileJson } from './profile-fixtures.js';
import { expectOk } from './server-harness.js';

export const PASSWORD = 'correct horse battery staple';
/** The account every seeded merchant starts with, and the one attackers try to set. */
export const OLD_IBAN = 'FR7630006000011234567890189';
export const ATTACKER_IBAN = 'DE89370400440532013000';

export interface SignedInUser {
  readonly id: string;
  readonly username: string;
  readonly token: string;
}

export interface ProfileWorld {
  readonly server: FleetTestServer;
  as(token: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  operatorUser(username: string): Promise<SignedInUser>;
  signIn(username: string): Promise<SignedInUser>;
  /** Registers a merchant (webhook URL set, so notifications are queued); returns the webhook secret. */
  merchant(id: string, options?: { webhookUrl?: string | null }): Promise<string>;
  /** A merchant staff user created by `creator` (an operator session), signed in. */
  merchantUser(merchantId: string, username: string, creator: SignedInUser): Promise<SignedInUser>;
  merchantApiToken(merchantId: string): Promise<string>;
  /** The merchant's first full profile (requested by `maker`, approved by `checker`). */
  seedProfile(merchantId: string, maker: SignedInUser, checker: SignedInUser, overrides?: Record<string, unknown>): Promise<void>;
}

/** The merchant layer of a complete profile (the fixture without its identity fields). */
export function fullMerchantLayer(overrides: Record<string, unknown> = {}): JsonObject {
  const { _type, schema_version, version, merchant_id, terminal_id, ...fields } = validProfileJson({ settlement_account: { type: 'iban', iban: OLD_IBAN, bic: 'BNPAFRPP' }, ...overrides });
  void [_type, schema_version, version, merchant_id, terminal_id];
  return fields as JsonObject;
}

export async function startProfileWorld(t: Test, options: { database?: DatabaseKind } & FleetServerOptions = {}): Promise<ProfileWorld> {
  const server = await startFleetServer(t, options);
  const as: ProfileWorld['as'] = (token, method, url, payload) =>
    server.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const signIn = async (username: string): Promise<SignedInUser> => {
    const response = await server.app.inject({ method: 'POST', url: '/v1/sessions', payload: { username, password: PASSWORD } });
    expectOk(response, `sign in ${username}`);
    const body = response.json<{ token: string; user: { id: string; username: string } }>();
    return { id: body.user.id, username: body.user.username, token: body.token };
  };
  const world: ProfileWorld = {
    server,
    as,
    signIn,
    async operatorUser(username) {
      await createUser(server.database.db, { username, role: 'operator', password: PASSWORD }, server.now);
      return signIn(username);
    },
    async merchant(id, merchantOptions = {}) {
      const webhookUrl = merchantOptions.webhookUrl === undefined ? `https://hooks.example/${id}` : merchantOptions.webhookUrl;
      const response = await as(server.operatorToken, 'POST', '/v1/merchants', { id, name: `Merchant ${id}`, ...(webhookUrl === null ? {} : { webhookUrl }) });
      expectOk(response, `create merchant ${id}`);
      return response.json<{ webhookSecret: string }>().webhookSecret;
    },
    async merchantUser(merchantId, username, creator) {
      expectOk(await as(creator.token, 'POST', `/v1/merchants/${merchantId}/users`, { username, password: PASSWORD }), `create ${username}`);
      return signIn(username);
    },
    async merchantApiToken(merchantId) {
      const response = await as(server.operatorToken, 'POST', '/v1/operator/tokens', { scope: `merchant:${merchantId}`, label: `${merchantId} integration` });
      expectOk(response, 'merchant token');
      return response.json<{ token: string }>().token;
    },
    async seedProfile(merchantId, maker, checker, overrides = {}) {
      const proposed = await as(maker.token, 'POST', `/v1/merchants/${merchantId}/profile/changes`, { layer: 'merchant', patch: fullMerchantLayer(overrides) });
      expectOk(proposed, 'propose the first profile');
      const change = proposed.json<{ id: string; state: string }>();
      if (change.state === 'pending') expectOk(await as(checker.token, 'POST', `/v1/profile-changes/${change.id}/approve`), 'approve the first profile');
    },
  };
  return world;
}
