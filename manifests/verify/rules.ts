/**
 * The checks of the TUF client workflow that compare a new role with what is trusted or
 * pinned: expiry against a reference time, version rollback, pinned versions, and root
 * rotation (TUF 5.3 - 5.6).
 */
import { ManifestError } from '../errors.js';
import type { Metadata } from '../metadata/metadata.js';
import type { Root } from '../metadata/root.js';
import { isExpired, type SignedFields } from '../metadata/signed-fields.js';
import { verifyThreshold } from './threshold.js';

/** TUF 5.3.10, 5.4.4, 5.5.6, 5.6.6: a role whose expiry is not after `now` is refused. */
export function assertNotExpired(signed: SignedFields, now: Date, role: string): void {
  if (isExpired(signed.expires, now)) {
    throw new ManifestError('STW_MANIFEST_EXPIRED', `${role} expired at ${signed.expires}`, { details: { role, expires: signed.expires } });
  }
}

/** TUF 5.4.3, 5.5.5: a new version lower than the trusted one is a rollback. */
export function assertNoRollback(trustedVersion: number, candidateVersion: number, role: string): void {
  if (candidateVersion < trustedVersion) {
    throw new ManifestError('STW_MANIFEST_VERSION_ROLLBACK', `${role} version ${candidateVersion} is lower than trusted ${trustedVersion}`, {
      details: { role, trusted: trustedVersion, candidate: candidateVersion },
    });
  }
}

/** TUF 5.5.4, 5.6.4: the version must be the one the referring role pinned. */
export function assertPinnedVersion(pinnedVersion: number, actualVersion: number, role: string): void {
  if (pinnedVersion !== actualVersion) {
    throw new ManifestError('STW_MANIFEST_VERSION_MISMATCH', `${role} version ${actualVersion} is not the pinned ${pinnedVersion}`, {
      details: { role, pinned: pinnedVersion, actual: actualVersion },
    });
  }
}

/**
 * TUF 5.3.4 - 5.3.5: a new root is trusted when a threshold of the trusted root's root keys
 * AND a threshold of its own root keys signed it, and its version is exactly one more.
 * Expiry is not checked here: an intermediate root may have expired (TUF 5.3.10 checks the last).
 */
export function verifyRootSuccessor(trusted: Root, candidate: Metadata<Root>): void {
  verifyThreshold(candidate, trusted.authority('root'), 'root (by the trusted root)');
  verifyThreshold(candidate, candidate.signed.authority('root'), 'root (by itself)');
  if (candidate.signed.version !== trusted.version + 1) {
    const code = candidate.signed.version <= trusted.version ? 'STW_MANIFEST_VERSION_ROLLBACK' : 'STW_MANIFEST_VERSION_MISMATCH';
    throw new ManifestError(code, `root version ${candidate.signed.version} does not follow ${trusted.version}`, {
      details: { role: 'root', trusted: trusted.version, candidate: candidate.signed.version },
    });
  }
}
