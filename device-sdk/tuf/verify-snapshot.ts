/**
 * The snapshot checks of the client workflow (TUF 5.5.2 - 5.5.6). Pure: the caller fetches
 * the bytes and persists the result.
 */
import {
  assertNoRollback,
  assertNotExpired,
  assertPinnedVersion,
  type Metadata,
  type MetaFile,
  type Root,
  type Snapshot,
} from '../../manifests/index.js';
import { DeviceError } from '../errors.js';
import { metadataError } from './metadata-error.js';
import type { SignatureCheck } from './signature-check.js';

export interface SnapshotCheck {
  readonly root: Root;
  /** What the trusted timestamp says of snapshot.json. */
  readonly pinned: MetaFile;
  /** The trusted snapshot, if any, for rollback protection (signature checked, may be expired). */
  readonly trusted: Metadata<Snapshot> | undefined;
  readonly now: Date;
  readonly signatures: SignatureCheck;
}

export function verifySnapshot(bytes: Uint8Array, check: SnapshotCheck): Metadata<Snapshot> {
  try {
    // TUF 5.5.2: length and hashes pinned by timestamp, before parsing anything.
    check.pinned.verifyBytes(bytes, 'snapshot');
    // TUF 5.5.3: a threshold of the snapshot keys of the trusted root.
    const candidate = check.signatures.verify('snapshot', bytes, check.root.authority('snapshot'), 'snapshot');
    // TUF 5.5.4: the version timestamp pinned.
    assertPinnedVersion(check.pinned.version, candidate.signed.version, 'snapshot');
    // TUF 5.5.5: no targets role may disappear or go back a version.
    if (check.trusted !== undefined) {
      for (const [file, old] of check.trusted.signed.meta) {
        const next = candidate.signed.meta.get(file);
        if (next === undefined) {
          throw new DeviceError('STW_DEVICE_ROLLBACK', `snapshot no longer lists ${file}`, { details: { role: 'snapshot', file, reason: 'removed' } });
        }
        assertNoRollback(old.version, next.version, file);
      }
    }
    // TUF 5.5.6: freeze attack.
    assertNotExpired(candidate.signed, check.now, 'snapshot');
    return candidate;
  } catch (error) {
    throw metadataError(error, 'snapshot');
  }
}
