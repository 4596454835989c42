/**
 * The timestamp checks of the client workflow (TUF 5.4.2 - 5.4.4). Pure: the caller fetches
 * the bytes and persists the result.
 */
import { assertNoRollback, assertNotExpired, type Metadata, type Root, type Timestamp } from '../../manifests/index.js';
import { metadataError } from './metadata-error.js';
import type { SignatureCheck } from './signature-check.js';

export interface TimestampCheck {
  readonly root: Root;
  /** The trusted timestamp, if any (already checked against `root`). */
  readonly trusted: Metadata<Timestamp> | undefined;
  readonly now: Date;
  readonly signatures: SignatureCheck;
}

export function verifyTimestamp(bytes: Uint8Array, check: TimestampCheck): Metadata<Timestamp> {
  try {
    // TUF 5.4.2: a threshold of the timestamp keys of the trusted root.
    const candidate = check.signatures.verify('timestamp', bytes, check.root.authority('timestamp'), 'timestamp');
    if (check.trusted !== undefined) {
      // TUF 5.4.3.1: never older than the trusted timestamp.
      assertNoRollback(check.trusted.signed.version, candidate.signed.version, 'timestamp');
      // TUF 5.4.3.2: never a snapshot older than the trusted timestamp's.
      assertNoRollback(check.trusted.signed.snapshotMeta.version, candidate.signed.snapshotMeta.version, 'snapshot');
    }
    // TUF 5.4.4: freeze attack.
    assertNotExpired(candidate.signed, check.now, 'timestamp');
    return candidate;
  } catch (error) {
    throw metadataError(error, 'timestamp');
  }
}
