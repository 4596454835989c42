/**
 * A last check before a notification leaves for a merchant: every account number in the
 * payload must already be masked (manifests/profile/validation: maskAccount,
 * maskProfileJson), i.e. show stars. It looks at the fields that hold account numbers in the
 * wire form (`iban`, `account_number`, a string `settlement_account`) at any depth, and their
 * camelCase spellings; the caller still masks, this only refuses a payload that was not.
 *
 * @example
 * assertMasked({ account: maskAccount(account) }); // passes
 * assertMasked({ iban: 'FR7630006000011234567890189' }); // throws STW_WEBHOOK_DATA_UNMASKED
 */
import { stewardError } from '../errors.js';

const ACCOUNT_FIELDS = new Set(['iban', 'account_number', 'accountNumber', 'settlement_account', 'settlementAccount']);

export function assertMasked(value: unknown, path = 'data'): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertMasked(item, `${path}[${index}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (ACCOUNT_FIELDS.has(key) && (typeof item === 'string' || typeof item === 'number') && !String(item).includes('*')) {
      // The path only: never the value.
      throw stewardError('STW_WEBHOOK_DATA_UNMASKED', `${at} holds an account number that is not masked`, { path: at });
    }
    assertMasked(item, at);
  }
}
