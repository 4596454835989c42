/**
 * Rules for the settlement account, by account type:
 *
 * - `iban`: ISO 13616-1 (see iban.ts), with an optional ISO 9362 BIC of the same country.
 * - `cn`: a CNAPS bank code (China National Advanced Payment System, PBOC: the 12-digit
 *   participant code of the receiving bank branch) and a bank-card number: 16 to 19 digits
 *   (ISO/IEC 7812-1 PAN lengths used by China UnionPay cards) with a valid Luhn check digit.
 *   Corporate accounts that are not card numbers are not accepted by this rule.
 * - `us`: an ABA routing transit number (see aba-routing.ts) and an account number of 4 to 17
 *   digits (NACHA: the DFI account number field holds at most 17 characters).
 *
 * @example
 * checkSettlementAccount({ type: 'us', routingNumber: '021000021', accountNumber: '12345' }); // []
 */
import type { SettlementAccount } from '../profile-fields.js';
import { abaChecksumValid, abaPrefixValid } from './aba-routing.js';
import { checkBic } from './bic.js';
import { checkIban } from './iban.js';
import { luhnValid } from './luhn.js';
import { profileIssue, type ProfileIssue } from './profile-issue.js';

const PATH = 'settlement_account';

export function checkSettlementAccount(account: SettlementAccount): ProfileIssue[] {
  const type = account.type;
  switch (type) {
    case 'iban': {
      const ibanIssue = checkIban(account.iban, `${PATH}.iban`);
      // The BIC is compared with the IBAN's country whenever that country is a registry country.
      const countryUnknown = ibanIssue?.code === 'STW_PROFILE_IBAN_FORMAT' || ibanIssue?.code === 'STW_PROFILE_IBAN_COUNTRY';
      const country = countryUnknown ? undefined : account.iban.slice(0, 2);
      return [...(ibanIssue === undefined ? [] : [ibanIssue]), ...(account.bic === undefined ? [] : checkBic(account.bic, `${PATH}.bic`, country))];
    }
    case 'cn':
      return [...checkCnaps(account.cnaps), ...checkCardNumber(account.accountNumber)];
    case 'us':
      return [...checkRoutingNumber(account.routingNumber), ...checkUsAccountNumber(account.accountNumber)];
    default:
      return [profileIssue(`${PATH}.type`, 'STW_PROFILE_ACCOUNT_TYPE', 'the account type must be iban, cn or us', { type: String(type satisfies never) })];
  }
}

function checkCnaps(cnaps: string): ProfileIssue[] {
  if (/^\d{12}$/.test(cnaps)) return [];
  return [profileIssue(`${PATH}.cnaps`, 'STW_PROFILE_CNAPS_FORMAT', 'a CNAPS bank code has exactly 12 digits', { length: cnaps.length })];
}

function checkCardNumber(number: string): ProfileIssue[] {
  const field = `${PATH}.account_number`;
  if (!/^\d+$/.test(number)) return [profileIssue(field, 'STW_PROFILE_CN_ACCOUNT_FORMAT', 'the account number has only digits')];
  if (number.length < 16 || number.length > 19) {
    return [profileIssue(field, 'STW_PROFILE_CN_ACCOUNT_LENGTH', `a bank-card number has 16 to 19 digits, not ${number.length}`, { min: 16, max: 19, actual: number.length })];
  }
  if (!luhnValid(number)) return [profileIssue(field, 'STW_PROFILE_LUHN', 'the card number check digit is wrong (ISO/IEC 7812-1 Luhn): a digit is probably mistyped')];
  return [];
}

function checkRoutingNumber(routing: string): ProfileIssue[] {
  const field = `${PATH}.routing_number`;
  if (!/^\d{9}$/.test(routing)) return [profileIssue(field, 'STW_PROFILE_ABA_FORMAT', 'an ABA routing number has exactly 9 digits', { length: routing.length })];
  if (!abaPrefixValid(routing)) return [profileIssue(field, 'STW_PROFILE_ABA_PREFIX', 'the first two digits are not a Federal Reserve routing symbol (00-12, 21-32, 61-72, 80)')];
  if (!abaChecksumValid(routing)) return [profileIssue(field, 'STW_PROFILE_ABA_CHECKSUM', 'the routing number check digit is wrong (ABA 3-7-1 checksum)')];
  return [];
}

function checkUsAccountNumber(number: string): ProfileIssue[] {
  if (/^\d{4,17}$/.test(number)) return [];
  return [profileIssue(`${PATH}.account_number`, 'STW_PROFILE_US_ACCOUNT_FORMAT', 'a US account number has 4 to 17 digits', { min: 4, max: 17 })];
}
