/**
 * Merchants for the console's browser tests and screenshots, on a console world, through the
 * API as an operator would set them up: two merchants with terminals (TIDs), the operator
 * default layer and each merchant's profile published through maker-checker (one operator
 * proposes, the other approves, both signed in), the terminals fetching and applying it, and
 * a staff user per merchant (made by the first operator, so the second is the one who may
 * approve their changes).
 *
 * @example
 * const merchants = await seedMerchants(world);
 * await signIn(page, merchants.staff.username, merchants.staff.password);
 */
import type { LightMyRequestResponse } from 'fastify';
import { event, type ConsoleTerminal, type ConsoleWorld, type Person } from './console-world.js';
import { expectOk } from './server-harness.js';

export const MERCHANT = 'M-1001';
export const OTHER_MERCHANT = 'M-2002';
/** The account the merchant starts with (FR, valid MOD 97), shown masked as its last digits. */
export const FIRST_IBAN = 'FR7630006000011234567890189';
/** A second valid account for a correction. */
export const NEW_IBAN = 'DE89370400440532013000';
/** The first IBAN with its last digit changed: the MOD 97 check fails. */
export const BAD_IBAN = 'FR7630006000011234567890188';

export interface MerchantWorld {
  readonly merchantId: string;
  readonly otherMerchantId: string;
  /** The merchant's staff user, and the other merchant's. */
  readonly staff: Person;
  readonly otherStaff: Person;
  readonly terminals: readonly ConsoleTerminal[];
  readonly otherTerminals: readonly ConsoleTerminal[];
  /** A session token of a person (POST /v1/sessions). */
  sessionOf(person: Person): Promise<string>;
  /** A request with a bearer token. */
  as(token: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  /** Terminals (default: all of both merchants) check in, fetch the profile their director document names, and report it applied. */
  applyProfiles(terminals?: readonly ConsoleTerminal[]): Promise<void>;
}

const DEFAULT_LAYER = {
  mcc: '5812',
  currency: 'EUR',
  time_zone: 'Europe/Paris',
  fees: { debit: { rate_bps: 30 }, credit: { rate_bps: 120, cap_minor: 500, fixed_minor: 5 }, schemes: {} },
  limits: { max_transaction_minor: 500000, max_refund_minor: 100000, daily_total_minor: 2000000 },
};

export async function seedMerchants(world: ConsoleWorld): Promise<MerchantWorld> {
  const { server } = world;
  const as: MerchantWorld['as'] = (token, method, url, payload) => server.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const sessionOf = async (person: Person) => {
    const response = await server.app.inject({ method: 'POST', url: '/v1/sessions', payload: { username: person.username, password: person.password } });
    expectOk(response, `sign in ${person.username}`);
    return response.json<{ token: string }>().token;
  };
  const operatorToken = server.operatorToken;
  const maker = await sessionOf(world.people.maker);
  const checker = await sessionOf(world.people.checker);

  // Maker proposes, checker approves: how every sensitive change is published.
  const publish = async (proposal: LightMyRequestResponse, what: string) => {
    expectOk(proposal, `propose ${what}`);
    const change = proposal.json<{ id: string; state: string }>();
    if (change.state === 'pending') expectOk(await as(checker, 'POST', `/v1/profile-changes/${change.id}/approve`), `approve ${what}`);
  };
  await publish(await as(maker, 'PUT', '/v1/profiles/default', { patch: DEFAULT_LAYER }), 'the default layer');

  const assignments: [string, string, ConsoleTerminal[], Record<string, unknown>][] = [
    [MERCHANT, 'Cafe Lumen', world.terminals.filter((item) => item.model === 't100').slice(0, 3), { merchant_name: 'Cafe Lumen', receipt_header: ['Cafe Lumen', '12 Rue de la Paix', '75002 Paris'], settlement_account: { type: 'iban', iban: FIRST_IBAN, bic: 'BNPAFRPP' } }],
    [OTHER_MERCHANT, 'Bakery Nord', world.terminals.filter((item) => item.model === 't200').slice(0, 2), { merchant_name: 'Bakery Nord', receipt_header: ['Bakery Nord', 'Hauptstrasse 1'], time_zone: 'Europe/Berlin', settlement_account: { type: 'iban', iban: NEW_IBAN } }],
  ];
  for (const [id, name, terminals, layer] of assignments) {
    expectOk(await as(operatorToken, 'POST', '/v1/merchants', { id, name }), `create ${id}`);
    for (const [index, device] of terminals.entries()) {
      expectOk(await as(operatorToken, 'PUT', `/v1/merchants/${id}/terminals/${device.terminal.deviceId}`, { terminalId: `T-${String(index + 1).padStart(4, '0')}` }), `assign ${device.serial}`);
    }
    await publish(await as(maker, 'POST', `/v1/merchants/${id}/profile/changes`, { layer: 'merchant', patch: layer }), `${id}'s profile`);
  }

  const merchantTerminals = assignments.flatMap(([, , terminals]) => terminals);
  const applyProfiles = async (terminals: readonly ConsoleTerminal[] = merchantTerminals) => {
    for (const device of terminals) {
      const { targets } = await world.checkIn(device);
      const profile = Object.values(targets).find((target) => target.custom?.['kind'] === 'profile');
      const version = profile?.custom?.['profile_version'];
      if (typeof version !== 'number' || version === device.profileVersion) continue;
      await world.checkIn(device, { profileVersion: version, events: [event('profile-applied', world.clock.now, { version: String(version) })] });
    }
  };
  await applyProfiles();

  // Staff users are made by a signed-in operator (the maker), who then may not approve their changes.
  const staff = await staffUser(as, maker, MERCHANT, 'mia');
  const otherStaff = await staffUser(as, maker, OTHER_MERCHANT, 'nils');
  return {
    merchantId: MERCHANT,
    otherMerchantId: OTHER_MERCHANT,
    staff,
    otherStaff,
    terminals: assignments[0]![2],
    otherTerminals: assignments[1]![2],
    sessionOf,
    as,
    applyProfiles,
  };
}

async function staffUser(as: MerchantWorld['as'], token: string, merchantId: string, username: string): Promise<Person> {
  const password = `${username}-console-password`;
  const response = await as(token, 'POST', `/v1/merchants/${merchantId}/users`, { username, password });
  expectOk(response, `create ${username}`);
  return { id: response.json<{ id: string }>().id, username, password };
}
