/**
 * Validation of a merchant parameter profile beyond its structure: the mistakes that make a
 * terminal fail to collect or freeze a merchant's funds (a mistyped IBAN, a Luhn-invalid card
 * number, a fee outside the contract, an unknown currency, ...). Pure; the server runs it when
 * a merchant proposes a change and again when the operator publishes; forms show each issue
 * next to its field.
 *
 * @example
 * const issues = validateProfile(document.fields, { bounds });
 * if (issues.length > 0) reply.code(422).send({ error: { code: 'STW_PROFILE_INVALID', details: issues } });
 */
import type { ProfileFields, SettlementAccount, TransactionLimits } from '../profile-fields.js';
import type { ContractBounds } from './contract-bounds.js';
import { checkCurrency } from './currency.js';
import { checkFees, type FeesToCheck } from './fees.js';
import { checkLimits } from './limits.js';
import { checkMcc } from './mcc.js';
import { profileIssue, type ProfileIssue } from './profile-issue.js';
import { checkSettlementAccount } from './settlement-account.js';
import { checkMerchantName, checkReceiptHeader } from './text-fields.js';
import { checkTimeZone } from './time-zone.js';

export interface ProfileValidationContext {
  /** The merchant's contract; fees are checked against it when given. */
  readonly bounds?: ContractBounds | undefined;
}

/** Profile fields as far as they could be read; a part whose structure was broken is absent. */
export interface ProfileParts {
  readonly version?: number;
  readonly merchantId?: string;
  readonly terminalId?: string;
  readonly merchantName?: string;
  readonly receiptHeader?: readonly string[];
  readonly mcc?: string;
  readonly currency?: string;
  readonly timeZone?: string;
  readonly fees?: FeesToCheck;
  readonly settlementAccount?: SettlementAccount;
  readonly limits?: Partial<TransactionLimits>;
}

// Mirrors the identifier pattern of ProfileDocument.fromJSON.
const IDENTIFIER = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Every problem of a profile, in document order; an empty array means valid.
 *
 * @example
 * validateProfile(fields, { bounds: { credit: { minBps: 80, maxBps: 150 } } });
 * // [{ field: 'fees.credit.rate_bps', code: 'STW_PROFILE_FEE_OUT_OF_BOUNDS', params: { min: 80, max: 150 }, message: ... }]
 */
export function validateProfile(fields: ProfileFields, context: ProfileValidationContext = {}): ProfileIssue[] {
  return checkProfileParts(fields, context);
}

/** The same rules over whatever parts of a profile could be read. */
export function checkProfileParts(parts: ProfileParts, context: ProfileValidationContext = {}): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  if (parts.version !== undefined && !(Number.isSafeInteger(parts.version) && parts.version >= 1)) {
    issues.push(profileIssue('version', 'STW_PROFILE_VERSION', 'a profile version is an integer >= 1', { min: 1 }));
  }
  for (const [field, value] of [
    ['merchant_id', parts.merchantId],
    ['terminal_id', parts.terminalId],
  ] as const) {
    if (value !== undefined && !IDENTIFIER.test(value)) {
      issues.push(profileIssue(field, 'STW_PROFILE_IDENTIFIER', 'an identifier has 1 to 64 letters, digits, dots, underscores or hyphens'));
    }
  }
  if (parts.merchantName !== undefined) issues.push(...checkMerchantName(parts.merchantName));
  if (parts.receiptHeader !== undefined) issues.push(...checkReceiptHeader(parts.receiptHeader));
  if (parts.mcc !== undefined) issues.push(...checkMcc(parts.mcc));
  if (parts.currency !== undefined) issues.push(...checkCurrency(parts.currency));
  if (parts.timeZone !== undefined) issues.push(...checkTimeZone(parts.timeZone));
  if (parts.fees !== undefined) issues.push(...checkFees(parts.fees, context.bounds));
  if (parts.settlementAccount !== undefined) issues.push(...checkSettlementAccount(parts.settlementAccount));
  if (parts.limits !== undefined) issues.push(...checkLimits(parts.limits));
  return issues;
}
