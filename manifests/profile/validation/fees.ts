/**
 * Fee rules. A fee is a rate in integer basis points (1 bp = 0.01 %, so 0..10000), an optional
 * fixed part and an optional cap, both per transaction in minor units of the profile currency
 * (ISO 4217 exponent). A cap is a positive amount not below the fixed part, otherwise the fixed
 * part could never be charged in full. Every value must also respect the merchant's contract
 * bounds. Per-scheme fees follow the same rules under `fees.schemes.<scheme>`.
 *
 * @example
 * checkFees({ debit: { rateBps: 30, capMinor: 0, fixedMinor: undefined } }, undefined);
 * // [{ field: 'fees.debit.cap_minor', code: 'STW_PROFILE_FEE_CAP', ... }]
 */
import type { FeeRate } from '../profile-fields.js';
import { MAX_RATE_BPS, rangeFor, type BpsRange, type ContractBounds } from './contract-bounds.js';
import { profileIssue, type ProfileIssue } from './profile-issue.js';

/** Scheme keys accepted without a contract range naming them (lower-case, as on the wire). */
export const KNOWN_SCHEMES: readonly string[] = [
  'amex', 'bancontact', 'cb', 'dankort', 'diners', 'discover', 'eftpos', 'elo', 'girocard', 'interac',
  'jcb', 'maestro', 'mastercard', 'mir', 'rupay', 'troy', 'unionpay', 'verve', 'visa', 'vpay',
];

const SCHEME_NAME = /^[a-z][a-z0-9_]{1,31}$/;

/** Fees as far as they could be read: each part may be missing when its structure was broken. */
export interface FeesToCheck {
  readonly debit?: FeeRate | undefined;
  readonly credit?: FeeRate | undefined;
  readonly schemes?: ReadonlyMap<string, FeeRate> | undefined;
}

export function checkFees(fees: FeesToCheck, bounds: ContractBounds | undefined): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  if (fees.debit !== undefined) issues.push(...checkFee(fees.debit, 'fees.debit', rangeFor(bounds, 'debit'), bounds));
  if (fees.credit !== undefined) issues.push(...checkFee(fees.credit, 'fees.credit', rangeFor(bounds, 'credit'), bounds));
  for (const [scheme, fee] of fees.schemes ?? []) {
    if (!SCHEME_NAME.test(scheme)) {
      issues.push(profileIssue('fees.schemes', 'STW_PROFILE_SCHEME_NAME', 'a scheme key is a lower-case identifier such as visa or amex', { scheme }));
      continue;
    }
    const path = `fees.schemes.${scheme}`;
    const named = bounds?.schemes !== undefined && Object.hasOwn(bounds.schemes, scheme);
    if (!named && !KNOWN_SCHEMES.includes(scheme)) {
      issues.push(profileIssue(path, 'STW_PROFILE_SCHEME_UNKNOWN', `${scheme} is not a known card scheme; a fee for it would never apply`, { scheme }));
      continue;
    }
    issues.push(...checkFee(fee, path, rangeFor(bounds, { scheme }), bounds));
  }
  return issues;
}

function checkFee(fee: FeeRate, path: string, range: BpsRange | undefined, bounds: ContractBounds | undefined): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const rate = fee.rateBps;
  if (!isInteger(rate) || rate < 0 || rate > MAX_RATE_BPS) {
    issues.push(profileIssue(`${path}.rate_bps`, 'STW_PROFILE_FEE_RATE', `a rate is an integer number of basis points from 0 to ${MAX_RATE_BPS}`, { min: 0, max: MAX_RATE_BPS }));
  } else if (range !== undefined && (rate < range.minBps || rate > range.maxBps)) {
    issues.push(outOfBounds(`${path}.rate_bps`, range.minBps, range.maxBps, 'bps'));
  }
  const fixed = fee.fixedMinor;
  const fixedValid = fixed !== undefined && isInteger(fixed) && fixed >= 0;
  if (fixed !== undefined && !fixedValid) {
    issues.push(profileIssue(`${path}.fixed_minor`, 'STW_PROFILE_FEE_FIXED', 'a fixed fee is an integer amount >= 0 in minor units', { min: 0 }));
  } else if (fixed !== undefined && bounds?.maxFixedMinor !== undefined && fixed > bounds.maxFixedMinor) {
    issues.push(outOfBounds(`${path}.fixed_minor`, 0, bounds.maxFixedMinor, 'minor units'));
  }
  const cap = fee.capMinor;
  if (cap === undefined) return issues;
  if (!isInteger(cap) || cap <= 0) {
    issues.push(profileIssue(`${path}.cap_minor`, 'STW_PROFILE_FEE_CAP', 'a cap is an integer amount > 0 in minor units', { min: 1 }));
    return issues;
  }
  if (fixedValid && cap < fixed) {
    issues.push(profileIssue(`${path}.cap_minor`, 'STW_PROFILE_FEE_CAP_BELOW_FIXED', `the cap is below the fixed fee of ${fixed}`, { fixed }));
  }
  if (bounds?.maxCapMinor !== undefined && cap > bounds.maxCapMinor) {
    issues.push(outOfBounds(`${path}.cap_minor`, 1, bounds.maxCapMinor, 'minor units'));
  }
  return issues;
}

function outOfBounds(field: string, min: number, max: number, unit: string): ProfileIssue {
  return profileIssue(field, 'STW_PROFILE_FEE_OUT_OF_BOUNDS', `outside the contract: ${min} to ${max} ${unit}`, { min, max });
}

function isInteger(value: number): boolean {
  return Number.isSafeInteger(value);
}
