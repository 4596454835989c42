/**
 * The checks of a targets role, top-level or delegated (TUF 5.6.2 - 5.6.5). The authority is
 * the trusted root's for `targets`, and for a delegated role the delegation of the role that
 * led the search to it. Pure: the caller fetches the bytes and persists the result.
 */
import {
  assertNotExpired,
  assertPinnedVersion,
  type Authority,
  type Metadata,
  type MetaFile,
  type Targets,
} from '../../manifests/index.js';
import { metadataError } from './metadata-error.js';
import type { SignatureCheck } from './signature-check.js';

export interface TargetsCheck {
  readonly role: string;
  readonly authority: Authority;
  /** What the trusted snapshot says of `<role>.json`. */
  readonly pinned: MetaFile;
  readonly now: Date;
  readonly signatures: SignatureCheck;
}

export function verifyTargets(bytes: Uint8Array, check: TargetsCheck): Metadata<Targets> {
  const { role } = check;
  try {
    // TUF 5.6.2: length and hashes pinned by snapshot, when it gives them.
    check.pinned.verifyBytes(bytes, role);
    // TUF 5.6.3: a threshold of the keys the delegating role names.
    const candidate = check.signatures.verify('targets', bytes, check.authority, role);
    // TUF 5.6.4: the version snapshot pinned.
    assertPinnedVersion(check.pinned.version, candidate.signed.version, role);
    // TUF 5.6.5: freeze attack.
    assertNotExpired(candidate.signed, check.now, role);
    return candidate;
  } catch (error) {
    throw metadataError(error, role);
  }
}
