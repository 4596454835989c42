/**
 * Contract bounds: what the operator agreed with one merchant. Fee rates in a profile must lie
 * inside these ranges; fixed fees and caps must not exceed the maxima. Absent bounds do not
 * constrain. Wire form (snake_case), as the issue paths of `validateContractBounds` name it:
 *
 * ```json
 * { "debit": { "min_bps": 20, "max_bps": 60 }, "credit": { "min_bps": 80, "max_bps": 180 },
 *   "schemes": { "amex": { "min_bps": 200, "max_bps": 300 } },
 *   "max_fixed_minor": 50, "max_cap_minor": 2000 }
 * ```
 *
 * A scheme fee without its own range must lie in the span of the debit and credit ranges (a
 * scheme's cards are debit or credit cards), so a scheme rate that no range agreed is caught.
 *
 * @example
 * validateContractBounds({ debit: { minBps: 60, maxBps: 20 } }); // [STW_PROFILE_BOUNDS_INVALID at debit]
 */
import { profileIssue, type ProfileIssue } from './profile-issue.js';

/** 10000 bp = 100 %: the scale of every rate. */
export const MAX_RATE_BPS = 10_000;

export interface BpsRange {
  readonly minBps: number;
  readonly maxBps: number;
}

export interface ContractBounds {
  readonly debit?: BpsRange;
  readonly credit?: BpsRange;
  /** Per scheme, keyed like `fees.schemes` (e.g. `amex`). */
  readonly schemes?: Readonly<Record<string, BpsRange>>;
  /** Largest fixed fee per transaction, minor units. */
  readonly maxFixedMinor?: number;
  /** Largest fee cap per transaction, minor units. */
  readonly maxCapMinor?: number;
}

/** The range a fee must respect, by its place in `fees`; `undefined` when unconstrained. */
export function rangeFor(bounds: ContractBounds | undefined, kind: 'debit' | 'credit' | { scheme: string }): BpsRange | undefined {
  if (bounds === undefined) return undefined;
  if (kind === 'debit') return bounds.debit;
  if (kind === 'credit') return bounds.credit;
  const own = bounds.schemes !== undefined && Object.hasOwn(bounds.schemes, kind.scheme) ? bounds.schemes[kind.scheme] : undefined;
  if (own !== undefined) return own;
  const ranges = [bounds.debit, bounds.credit].filter((range): range is BpsRange => range !== undefined);
  if (ranges.length === 0) return undefined;
  return { minBps: Math.min(...ranges.map((r) => r.minBps)), maxBps: Math.max(...ranges.map((r) => r.maxBps)) };
}

/** Problems with the bounds themselves (for the operator's form): empty or out-of-scale ranges, negative maxima. */
export function validateContractBounds(bounds: ContractBounds): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const range = (value: BpsRange | undefined, field: string): void => {
    if (value === undefined) return;
    const inScale = (n: number): boolean => Number.isSafeInteger(n) && n >= 0 && n <= MAX_RATE_BPS;
    if (!inScale(value.minBps) || !inScale(value.maxBps) || value.minBps > value.maxBps) {
      issues.push(profileIssue(field, 'STW_PROFILE_BOUNDS_INVALID', `a range needs integers 0 <= min_bps <= max_bps <= ${MAX_RATE_BPS}`, { min: 0, max: MAX_RATE_BPS }));
    }
  };
  range(bounds.debit, 'debit');
  range(bounds.credit, 'credit');
  for (const [scheme, value] of Object.entries(bounds.schemes ?? {})) range(value, `schemes.${scheme}`);
  for (const [key, field] of [
    ['maxFixedMinor', 'max_fixed_minor'],
    ['maxCapMinor', 'max_cap_minor'],
  ] as const) {
    const value = bounds[key];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      issues.push(profileIssue(field, 'STW_PROFILE_BOUNDS_INVALID', 'a maximum is an integer >= 0 in minor units', { min: 0 }));
    }
  }
  return issues;
}
