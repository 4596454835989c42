/**
 * Cohort membership: a stable hash of (rollout, device) onto [0, 10000). A phase covering p
 * basis points admits exactly the devices whose hash is below p, so a larger share is always
 * a superset of a smaller one, every replica computes the same answer, and nothing is stored
 * or precomputed per device. Hashing the rollout id too gives each rollout its own cohorts:
 * the same terminals are not always the first to receive every release.
 *
 * @example
 * const inCohort = cohortHash('dev_1', 'rol_1') < rollout.cohort_bp;
 */
import { createHash } from 'node:crypto';

/** The hash space: shares are basis points (1 = 0.01%). */
export const COHORT_SCALE = 10_000;

export function cohortHash(deviceId: string, rolloutId: string): number {
  // NUL separates the ids (neither contains one), so ("ab","c") and ("a","bc") differ.
  const digest = createHash('sha256').update(rolloutId).update('\0').update(deviceId).digest();
  // 2^32 mod 10000 = 7296: the modulo bias is below 2e-6 per bucket.
  return digest.readUInt32BE(0) % COHORT_SCALE;
}
