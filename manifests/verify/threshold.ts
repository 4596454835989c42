/**
 * Threshold signature verification (TUF 5.3.4, 5.4.2, 5.5.3, 5.6.3): a role is trusted when
 * at least `threshold` distinct authorised keys made valid signatures over the canonical bytes
 * (or over the bytes of `signed` exactly as received, which the role was parsed from).
 * Each key counts once, by key ID and by key material, so neither a repeated signature nor
 * one key listed under two IDs can make up a threshold. Signatures by unknown keys and
 * malformed signatures are ignored, never thrown on.
 *
 * @example
 * verifyThreshold(metadata, root.authority('snapshot'), 'snapshot');
 */
import { ManifestError } from '../errors.js';
import type { PublicKey } from '../keys/public-key.js';
import type { Metadata } from '../metadata/metadata.js';

export interface Authority {
  readonly keys: ReadonlyMap<string, PublicKey>;
  readonly threshold: number;
}

export interface ThresholdResult {
  readonly met: boolean;
  readonly threshold: number;
  /** Key IDs whose signatures verified and counted. */
  readonly validKeyIds: readonly string[];
}

export function countSignatures(metadata: Metadata, authority: Authority): ThresholdResult {
  const received = metadata.receivedSignedBytes();
  const countedIds = new Set<string>();
  const countedKeys = new Set<string>();
  for (const signature of metadata.signatures) {
    if (countedIds.has(signature.keyId)) continue;
    const key = authority.keys.get(signature.keyId);
    if (!key) continue;
    const identity = key.identity();
    if (countedKeys.has(identity)) continue;
    // The bytes as received first (no re-encoding; see Metadata.receivedSignedBytes), then the
    // canonical form (TUF 4.2) for documents written in another layout.
    if (!verifies(key, signature.sig, metadata, received)) continue;
    countedIds.add(signature.keyId);
    countedKeys.add(identity);
  }
  const validKeyIds = [...countedIds];
  return { met: authority.threshold >= 1 && validKeyIds.length >= authority.threshold, threshold: authority.threshold, validKeyIds };
}

function verifies(key: PublicKey, sig: string, metadata: Metadata, received: Buffer | undefined): boolean {
  if (received !== undefined && key.verify(received, sig)) return true;
  const canonical = metadata.signedBytes();
  // Received bytes already canonical: the same check again would fail again.
  if (received !== undefined && received.equals(canonical)) return false;
  return key.verify(canonical, sig);
}

export function verifyThreshold(metadata: Metadata, authority: Authority, role: string): ThresholdResult {
  const result = countSignatures(metadata, authority);
  if (!result.met) {
    throw new ManifestError('STW_MANIFEST_THRESHOLD_NOT_MET', `${role} has ${result.validKeyIds.length} valid signatures, needs ${authority.threshold}`, {
      details: { role, valid: result.validKeyIds.length, threshold: authority.threshold },
    });
  }
  return result;
}
