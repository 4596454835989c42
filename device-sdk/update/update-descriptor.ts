/**
 * One update as the state machine receives it: a target the TUF client has already verified
 * (director and image repository agree on name, length and hashes; DESIGN "Trust model" 3),
 * flattened to plain data so that it can be persisted with the state.
 */
import type { ArtifactHashes } from '../download/index.js';

export interface UpdateDescriptor {
  /** The TUF target name, e.g. `acme/pos-fw-2.1.0.bin`. */
  readonly targetName: string;
  /** Where to download it (a blob URL, possibly presigned). */
  readonly url: string;
  readonly length: number;
  readonly hashes: ArtifactHashes;
  /** The image version the slot will report once committed. */
  readonly version: string;
  /** The director's `component` (e.g. `firmware`). */
  readonly component: string;
}

/** Two descriptors name the same update when target, length and every hash agree. */
export function sameUpdate(a: UpdateDescriptor, b: UpdateDescriptor): boolean {
  return (
    a.targetName === b.targetName &&
    a.length === b.length &&
    a.hashes.sha256 === b.hashes.sha256 &&
    a.hashes.sha512 === b.hashes.sha512 &&
    a.version === b.version
  );
}
