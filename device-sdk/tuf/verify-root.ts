/**
 * The root checks of the client workflow (TUF 5.2 and 5.3): the first trusted root, each
 * successor in the rotation chain, the final freeze check, and which online roles changed
 * keys along the way (fast-forward recovery, TUF 5.3.11).
 */
import { Metadata, assertNotExpired, verifyRootSuccessor, type JsonLimits, type Root, type TopLevelRole } from '../../manifests/index.js';
import { metadataError } from './metadata-error.js';
import type { SignatureCheck } from './signature-check.js';

/** TUF 5.2: the locally trusted root must parse and carry a threshold of its own root keys. */
export function verifyTrustedRoot(bytes: Uint8Array, signatures: SignatureCheck): Metadata<Root> {
  try {
    return signatures.verify('root', bytes, 'self', 'root');
  } catch (error) {
    throw metadataError(error, 'root');
  }
}

/** TUF 5.3.4 - 5.3.6: version N+1 signed by a threshold of version N's and of its own root keys. */
export function verifyNextRoot(trusted: Metadata<Root>, bytes: Uint8Array, limits: Partial<JsonLimits>): Metadata<Root> {
  try {
    const candidate = Metadata.fromBytes('root', bytes, limits);
    verifyRootSuccessor(trusted.signed, candidate);
    return candidate;
  } catch (error) {
    throw metadataError(error, 'root', 'STW_DEVICE_ROOT_ROTATION_FAILED');
  }
}

/** TUF 5.3.10: the final root must not have expired at the update's start time. */
export function assertRootFresh(root: Metadata<Root>, now: Date): void {
  try {
    assertNotExpired(root.signed, now, 'root');
  } catch (error) {
    throw metadataError(error, 'root');
  }
}

/** Whether `role` is signed by other keys, or another threshold, in `after` than in `before`. */
export function roleKeysChanged(before: Root, after: Root, role: TopLevelRole): boolean {
  const old = before.authority(role);
  const next = after.authority(role);
  if (old.threshold !== next.threshold || old.keys.size !== next.keys.size) return true;
  for (const [keyId, key] of old.keys) {
    if (next.keys.get(keyId)?.identity() !== key.identity()) return true;
  }
  return false;
}
