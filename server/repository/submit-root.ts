/**
 * Accepting a root signed offline by the operator's root key holders (TUF 5.3.4 rules on
 * the server side): the first root must meet its own threshold; every later one must be
 * signed by a threshold of the current and of its own root keys, with version + 1.
 */
import { assertNotExpired, verifyRootSuccessor, verifyThreshold, type Metadata, type Root } from '../../manifests/index.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { checking } from './manifest-errors.js';
import { latestParsed } from './metadata-rows.js';

export async function checkRoot(trx: Kysely<Database>, candidate: Metadata<Root>, now: Date): Promise<void> {
  const current = await latestParsed(trx, 'root', 'root');
  await checking('root', () => {
    if (current) verifyRootSuccessor(current.metadata.signed, candidate);
    else {
      verifyThreshold(candidate, candidate.signed.authority('root'), 'root'); // TUF 5.2: trust on first upload needs its own threshold
      if (candidate.signed.version !== 1) throw stewardError('STW_REPO_METADATA_INVALID', 'the first root must be version 1', { role: 'root' });
    }
    assertNotExpired(candidate.signed, now, 'root');
  });
  if (!candidate.signed.usesConsistentSnapshots) {
    throw stewardError('STW_REPO_METADATA_INVALID', 'Steward serves consistent snapshots: root must set consistent_snapshot true', { role: 'root' });
  }
}
