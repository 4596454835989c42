/**
 * Metadata read back from the store is trusted only while the current root (or delegation)
 * still vouches for it: after a key rotation an old timestamp or snapshot stops counting
 * (TUF 5.3.11 fast-forward recovery) instead of blocking every future update.
 */
import type { Authority, Metadata, RoleType, SignedByType } from '../../manifests/index.js';
import type { SignatureCheck } from './signature-check.js';

/** The stored metadata when it parses and carries a threshold of `authority`; else undefined. */
export function stillTrusted<K extends RoleType>(
  type: K,
  bytes: Uint8Array | undefined,
  authority: Authority,
  signatures: SignatureCheck,
): Metadata<SignedByType[K]> | undefined {
  if (bytes === undefined) return undefined;
  try {
    return signatures.verify(type, bytes, authority, type);
  } catch {
    return undefined;
  }
}
