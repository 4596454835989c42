/**
 * Transaction limit rules, all in minor units of the profile currency:
 *
 * - `max_transaction_minor` (largest single sale) and `daily_total_minor` are integers >= 1;
 *   `max_refund_minor` is an integer >= 0 (0 disables refunds on the terminal).
 * - A refund returns (part of) one earlier sale, so the refund limit may not exceed the
 *   single-sale limit (factor 1): a higher refund limit only serves to move money out of the
 *   merchant account through the terminal, the classic refund fraud. Larger refunds go through
 *   the acquirer's back office.
 * - The daily total must allow at least one sale of the maximum size.
 *
 * @example
 * checkLimits({ maxTransactionMinor: 5000, maxRefundMinor: 9000 });
 * // [{ field: 'limits.max_refund_minor', code: 'STW_PROFILE_LIMIT_REFUND', params: { max: 5000 } }]
 */
import type { TransactionLimits } from '../profile-fields.js';
import { profileIssue, type ProfileIssue } from './profile-issue.js';

export const REFUND_LIMIT_FACTOR = 1;

export function checkLimits(limits: Partial<TransactionLimits>): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const single = limits.maxTransactionMinor;
  const singleValid = single !== undefined && atLeast(single, 1);
  if (single !== undefined && !singleValid) issues.push(notPositive('limits.max_transaction_minor', 1));

  const refund = limits.maxRefundMinor;
  if (refund !== undefined) {
    if (!atLeast(refund, 0)) issues.push(notPositive('limits.max_refund_minor', 0));
    else if (singleValid && refund > single * REFUND_LIMIT_FACTOR) {
      const max = single * REFUND_LIMIT_FACTOR;
      issues.push(profileIssue('limits.max_refund_minor', 'STW_PROFILE_LIMIT_REFUND', `the refund limit may not exceed the single-transaction limit (${max})`, { max }));
    }
  }

  const daily = limits.dailyTotalMinor;
  if (daily !== undefined) {
    if (!atLeast(daily, 1)) issues.push(notPositive('limits.daily_total_minor', 1));
    else if (singleValid && daily < single) {
      issues.push(profileIssue('limits.daily_total_minor', 'STW_PROFILE_LIMIT_DAILY', `the daily total is below one maximum transaction (${single})`, { min: single }));
    }
  }
  return issues;
}

function atLeast(value: number, min: number): boolean {
  return Number.isSafeInteger(value) && value >= min;
}

function notPositive(field: string, min: number): ProfileIssue {
  return profileIssue(field, 'STW_PROFILE_LIMIT', `a limit is an integer amount >= ${min} in minor units`, { min });
}
