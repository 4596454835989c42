/**
 * Masking of settlement accounts for responses, log lines, audit entries and webhooks: after
 * entry, nobody sees more than the last characters. At most the last 4 are shown, and never
 * more than half of a short number; an IBAN also keeps its country code and check digits
 * (ISO 13616 paper format). Bank identifiers (BIC, CNAPS, ABA routing number) name a bank,
 * not an account, and stay visible. A CN settlement account is a card number (PAN): showing
 * only its last four is within PCI DSS v4.0 requirement 3.4.1 (at most BIN and last four).
 *
 * @example
 * maskAccountNumber('6222020200112233445'); // '**** **** 3445'
 * maskIban('FR7630006000011234567890189');   // 'FR76 **** **** 0189'
 * describeAccount({ type: 'iban', iban: 'FR76...0189', bic: 'BNPAFRPP' }); // 'IBAN FR76 **** **** 0189 (BIC BNPAFRPP)'
 */
import type { SettlementAccount } from '../profile-fields.js';

/** A settlement account fit to leave the server, in wire form (snake_case). */
export type MaskedAccount =
  | { readonly type: 'iban'; readonly iban: string; readonly country: string; readonly bic?: string; readonly last_digits: string }
  | { readonly type: 'cn'; readonly cnaps: string; readonly account_number: string; readonly last_digits: string }
  | { readonly type: 'us'; readonly routing_number: string; readonly account_number: string; readonly last_digits: string };

const STARS = '**** ****';

/** How many trailing characters of a number of `length` characters may be shown. */
export function visibleCount(length: number): number {
  return length >= 8 ? 4 : Math.floor(length / 2);
}

function tail(compact: string): string {
  return compact.slice(compact.length - visibleCount(compact.length));
}

/** `**** **** 3445`: only the last characters of an account number (whitespace ignored). */
export function maskAccountNumber(value: string): string {
  const compact = value.replace(/\s+/g, '');
  const visible = tail(compact);
  return visible.length === 0 ? STARS : `${STARS} ${visible}`;
}

const IBAN_LIKE = /^[A-Z]{2}\d{2}[A-Z0-9]{8,}$/;

/** `FR76 **** **** 0189`: country, check digits and the last four characters of an IBAN. */
export function maskIban(iban: string): string {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  return IBAN_LIKE.test(compact) ? `${compact.slice(0, 4)} ${STARS} ${compact.slice(-4)}` : maskAccountNumber(compact);
}

export function maskAccount(account: SettlementAccount): MaskedAccount {
  const type = account.type;
  switch (type) {
    case 'iban': {
      const compact = account.iban.replace(/\s+/g, '').toUpperCase();
      const last = IBAN_LIKE.test(compact) ? compact.slice(-4) : tail(compact);
      return { type, iban: maskIban(compact), country: compact.slice(0, 2), ...(account.bic === undefined ? {} : { bic: account.bic }), last_digits: last };
    }
    case 'cn':
      return { type, cnaps: account.cnaps, account_number: maskAccountNumber(account.accountNumber), last_digits: tail(account.accountNumber.replace(/\s+/g, '')) };
    case 'us':
      return { type, routing_number: account.routingNumber, account_number: maskAccountNumber(account.accountNumber), last_digits: tail(account.accountNumber.replace(/\s+/g, '')) };
    default:
      throw new TypeError(`unknown account type ${String(type satisfies never)}`);
  }
}

/** A short text for notifications: `IBAN FR76 **** **** 0189 (BIC BNPAFRPP)`. */
export function describeAccount(account: SettlementAccount): string {
  const masked = maskAccount(account);
  switch (masked.type) {
    case 'iban':
      return `IBAN ${masked.iban}${masked.bic === undefined ? '' : ` (BIC ${masked.bic})`}`;
    case 'cn':
      return `CN account ${masked.account_number}, CNAPS ${masked.cnaps}`;
    case 'us':
      return `US account ${masked.account_number}, routing ${masked.routing_number}`;
  }
}
