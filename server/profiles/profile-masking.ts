/**
 * Masking of everything profile-shaped that leaves the server (responses, audit entries,
 * webhooks): the settlement account, wherever it sits (a layer, a patch, a resolved profile,
 * a diff entry), shows at most its last digits (manifests/profile/validation/mask-account.ts).
 *
 * @example
 * maskLayers(layers).terminals['T-1']?.settlement_account; // { type: 'iban', iban: 'FR76 **** **** 0189', ... }
 * webhookAccount(patch.settlement_account); // { type: 'iban', last_digits: '0189', bic: 'BNPAFRPP' }
 */
import { isJsonObject, maskAccount, maskProfileJson, type JsonObject, type JsonValue, type SettlementAccount } from '../../manifests/index.js';
import type { ProfileLayers } from './profile-layers.js';

export function maskFields(fields: JsonObject): JsonObject {
  return maskProfileJson(fields);
}

export function maskLayers(layers: ProfileLayers): { merchant: JsonObject; terminals: Record<string, JsonObject> } {
  const terminals: Record<string, JsonObject> = {};
  for (const [tid, fields] of Object.entries(layers.terminals)) terminals[tid] = maskProfileJson(fields);
  return { merchant: maskProfileJson(layers.merchant), terminals };
}

/**
 * A value found at `path` inside a profile (`settlement_account.iban`, `terminals.T-1.settlement_account`),
 * masked when it is (part of) a settlement account.
 */
export function maskAtPath(path: string, value: JsonValue | undefined): JsonValue {
  if (value === undefined) return null;
  const segments = path.split('.');
  const at = segments[0] === 'terminals' ? 2 : 0;
  if (segments[at] !== 'settlement_account') return value;
  const rest = segments.slice(at + 1);
  if (rest.length === 0) return maskProfileJson({ settlement_account: value })['settlement_account'] ?? null;
  const key = rest[0] as string;
  const masked = maskProfileJson({ settlement_account: { [key]: value } })['settlement_account'];
  return isJsonObject(masked) ? (masked[key] ?? null) : null;
}

/** What a notification says about an account: its type, bank identifier and last digits, nothing more. */
export function webhookAccount(value: JsonValue | undefined): JsonObject | null {
  if (value === undefined || value === null) return null;
  const account = toAccount(value);
  if (account === undefined) return { type: isJsonObject(value) && typeof value['type'] === 'string' ? value['type'] : 'unknown', last_digits: null };
  const masked = maskAccount(account);
  switch (masked.type) {
    case 'iban':
      return { type: 'iban', country: masked.country, ...(masked.bic === undefined ? {} : { bic: masked.bic }), last_digits: masked.last_digits };
    case 'cn':
      return { type: 'cn', cnaps: masked.cnaps, last_digits: masked.last_digits };
    case 'us':
      return { type: 'us', routing_number: masked.routing_number, last_digits: masked.last_digits };
  }
}

function toAccount(value: JsonValue): SettlementAccount | undefined {
  if (!isJsonObject(value)) return undefined;
  const text = (key: string): string | undefined => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  const type = text('type');
  if (type === 'iban' && text('iban') !== undefined) return { type, iban: text('iban') as string, bic: text('bic') };
  if (type === 'cn' && text('cnaps') !== undefined && text('account_number') !== undefined) return { type, cnaps: text('cnaps') as string, accountNumber: text('account_number') as string };
  if (type === 'us' && text('routing_number') !== undefined && text('account_number') !== undefined) return { type, routingNumber: text('routing_number') as string, accountNumber: text('account_number') as string };
  return undefined;
}
