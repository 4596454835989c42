/**
 * What a verified target says an artifact must be: its exact length and one or more digests
 * (TUF 4.5 `targets` entries carry `length` and `hashes`; Uptane copies them into the
 * director's targets). Generic on purpose: the downloader knows nothing of TUF.
 */
import { DeviceError } from '../errors.js';

/** Hex digests by algorithm, as TUF names them. At least one must be given. */
export interface ArtifactHashes {
  readonly sha256?: string;
  readonly sha512?: string;
}

export type HashAlgorithm = keyof ArtifactHashes;

export interface ExpectedArtifact {
  /** Exact length in bytes. */
  readonly length: number;
  readonly hashes: ArtifactHashes;
}

const hexLength: Record<HashAlgorithm, number> = { sha256: 64, sha512: 128 };

/** The algorithms given, checked for shape; throws STW_DEVICE_TARGET_MISMATCH when unusable. */
export function checkExpected(expected: ExpectedArtifact): HashAlgorithm[] {
  if (!Number.isSafeInteger(expected.length) || expected.length < 0) {
    throw new DeviceError('STW_DEVICE_TARGET_MISMATCH', `expected length ${expected.length} is not a byte count`, {
      details: { reason: 'bad-length', length: expected.length },
    });
  }
  const algorithms = (Object.keys(hexLength) as HashAlgorithm[]).filter((name) => expected.hashes[name] !== undefined);
  if (algorithms.length === 0) {
    throw new DeviceError('STW_DEVICE_TARGET_MISMATCH', 'no supported hash to verify against', { details: { reason: 'no-hashes' } });
  }
  for (const name of algorithms) {
    const hex = expected.hashes[name] ?? '';
    if (hex.length !== hexLength[name] || !/^[0-9a-fA-F]+$/.test(hex)) {
      throw new DeviceError('STW_DEVICE_TARGET_MISMATCH', `expected ${name} is not ${hexLength[name]} hex digits`, {
        details: { reason: 'bad-hash', algorithm: name },
      });
    }
  }
  return algorithms;
}
