/**
 * Accepting top-level targets signed offline by the operator's targets keys. Steward's
 * policy for it: it lists no targets itself and delegates, terminating, one role per
 * registered vendor, whose path patterns all stay inside `<vendor>/`. A change of a vendor's
 * keys must keep that vendor's published role verifiable (rotate by adding the new key,
 * letting the vendor re-sign, then removing the old one).
 */
import { assertNotExpired, countSignatures, verifyThreshold, type Metadata, type Targets } from '../../manifests/index.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { checking } from './manifest-errors.js';
import { latestParsed } from './metadata-rows.js';
import { isVendorId } from '../auth/scope.js';

export async function checkTopLevelTargets(trx: Kysely<Database>, candidate: Metadata<Targets>, now: Date): Promise<void> {
  const root = await latestParsed(trx, 'root', 'root');
  if (!root) throw stewardError('STW_REPO_NOT_INITIALISED', 'upload a root before top-level targets');
  const current = await latestParsed(trx, 'targets', 'targets');
  await checking('targets', () => {
    verifyThreshold(candidate, root.metadata.signed.authority('targets'), 'targets');
    assertNotExpired(candidate.signed, now, 'targets');
  });
  if (current && candidate.signed.version <= current.metadata.signed.version) {
    throw stewardError('STW_REPO_VERSION_NOT_INCREASED', `targets version ${candidate.signed.version} is not above ${current.metadata.signed.version}`, { role: 'targets' });
  }
  if (candidate.signed.targets.size > 0) {
    throw stewardError('STW_REPO_DELEGATION_INVALID', 'top-level targets must not list targets; vendors publish through their delegated roles', { role: 'targets' });
  }
  const vendorIds = new Set((await trx.selectFrom('vendors').select('id').execute()).map((row) => row.id));
  for (const role of candidate.signed.delegations?.roles ?? []) {
    const problem = !isVendorId(role.name) || !vendorIds.has(role.name)
      ? 'is not a registered vendor'
      : !role.terminating
        ? 'must be terminating'
        : role.paths === undefined || role.paths.length === 0 || !role.paths.every((pattern) => pattern.startsWith(`${role.name}/`))
          ? `must list path patterns inside ${role.name}/`
          : role.keyIds.length < role.threshold
            ? 'has a threshold above its number of keys'
            : undefined;
    if (problem) throw stewardError('STW_REPO_DELEGATION_INVALID', `delegation ${role.name} ${problem}`, { role: role.name });
    const published = await latestParsed(trx, role.name, 'targets');
    const authority = candidate.signed.delegations?.authority(role.name);
    if (published && authority && !countSignatures(published.metadata, authority).met) {
      throw stewardError('STW_REPO_DELEGATION_INVALID', `delegation ${role.name} would no longer verify its published role; keep the old key until the vendor re-signs`, { role: role.name });
    }
  }
}
