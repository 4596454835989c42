/**
 * Metadata read back from the store is trusted only while the current root (or delegation)
 * still vouches for it: after a key rotation an old timestamp or snapshot stops counting
 * (TUF 5.3.11 fast-forward recovery) instead of blocking every future update.
 */
import { Metadata, countSignatures, type Authority, type JsonLimits, type RoleType, type SignedByType } from '../../manifests/index.js';

/** The stored metadata when it parses and carries a threshold of `authority`; else undefined. */
export function stillTrusted<K extends RoleType>(
  type: K,
  bytes: Uint8Array | undefined,
  authority: Authority,
  limits: Partial<JsonLimits>,
): Metadata<SignedByType[K]> | undefined {
  if (bytes === undefined) return undefined;
  try {
    const metadata = Metadata.fromBytes(type, bytes, limits);
    return countSignatures(metadata, authority).met ? metadata : undefined;
  } catch {
    return undefined;
  }
}
