/**
 * Masks the settlement account inside a profile's wire form, for audit entries (before/after),
 * logs and webhooks. Works on any JSON, valid or not: a recognised account is masked field by
 * field, and in anything else every value of `settlement_account` other than its type and bank
 * identifiers is masked, so that a malformed proposal cannot leak a number into a log either.
 *
 * @example
 * maskProfileJson(document.toJSON()).settlement_account;
 * // { type: 'iban', iban: 'FR76 **** **** 0189', bic: 'BNPAFRPP' }
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../../json/json-value.js';
import { maskAccountNumber, maskIban } from './mask-account.js';

const BANK_IDENTIFIERS = new Set(['type', 'bic', 'cnaps', 'routing_number']);

export function maskProfileJson(json: JsonObject): JsonObject {
  if (!Object.hasOwn(json, 'settlement_account')) return { ...json };
  return { ...json, settlement_account: maskAccountJson(json['settlement_account'] as JsonValue) };
}

function maskAccountJson(account: JsonValue): JsonValue {
  if (!isJsonObject(account)) return maskValue(account);
  const masked: JsonObject = {};
  for (const [key, value] of Object.entries(account)) {
    if (BANK_IDENTIFIERS.has(key) && typeof value === 'string') masked[key] = value;
    else if (key === 'iban' && typeof value === 'string') masked[key] = maskIban(value);
    else masked[key] = maskValue(value);
  }
  return masked;
}

function maskValue(value: JsonValue): JsonValue {
  if (typeof value === 'string' || typeof value === 'number') return maskAccountNumber(String(value));
  return value === null ? null : '**** ****';
}
