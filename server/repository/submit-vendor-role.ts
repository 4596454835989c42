/**
 * Accepting a vendor's delegated targets role, signed offline with the vendor's keys.
 * Checked against the delegation in the current top-level targets (keys, threshold), for a
 * strictly higher version (a replay is refused), unexpired, without further delegations,
 * and every listed target: a safe path inside the vendor's directory that the delegation
 * covers, release facts in `custom`, an uploaded artifact with exactly that length and
 * hashes, and never a new content for a path published before.
 */
import { assertNotExpired, ManifestError, ReleaseInfo, verifyThreshold, type Metadata, type TargetFile, type Targets } from '../../manifests/index.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { checking } from './manifest-errors.js';
import { latestMetadata, latestParsed } from './metadata-rows.js';
import { assertSafeTargetPath } from './target-path.js';

export interface CheckedRelease {
  readonly path: string;
  readonly file: TargetFile;
  readonly release: ReleaseInfo;
}

export async function checkVendorRole(trx: Kysely<Database>, vendorId: string, candidate: Metadata<Targets>, now: Date): Promise<CheckedRelease[]> {
  const topLevel = await latestParsed(trx, 'targets', 'targets');
  const delegation = topLevel?.metadata.signed.delegations?.role(vendorId);
  const authority = topLevel?.metadata.signed.delegations?.authority(vendorId);
  if (!delegation || !authority) throw stewardError('STW_REPO_VENDOR_UNKNOWN', `top-level targets has no delegation for ${vendorId}`, { role: vendorId });

  await checking(vendorId, () => {
    verifyThreshold(candidate, authority, vendorId);
    assertNotExpired(candidate.signed, now, vendorId);
  });
  const current = await latestMetadata(trx, vendorId);
  if (current && candidate.signed.version <= current.version) {
    throw stewardError('STW_REPO_VERSION_NOT_INCREASED', `${vendorId} version ${candidate.signed.version} is not above ${current.version}`, { role: vendorId, current: current.version });
  }
  if (candidate.signed.delegations !== undefined) throw stewardError('STW_REPO_DELEGATION_INVALID', 'vendor roles may not delegate further', { role: vendorId });

  const releases: CheckedRelease[] = [];
  for (const [path, file] of candidate.signed.targets) {
    assertSafeTargetPath(path, vendorId);
    if (!delegation.isDelegatedPath(path)) throw stewardError('STW_REPO_PATH_NOT_DELEGATED', `${path} is outside ${vendorId}'s delegation`, { path, role: vendorId });
    const release = readRelease(file, path);
    releases.push({ path, file, release });
    await assertArtifactMatches(trx, file, path, release);
  }
  return releases;
}

function readRelease(file: TargetFile, path: string): ReleaseInfo {
  try {
    return ReleaseInfo.fromCustom(file.custom, path);
  } catch (error) {
    if (error instanceof ManifestError) throw stewardError('STW_REPO_RELEASE_INVALID', error.message, { path, ...(error.details ?? {}) }, error);
    throw error;
  }
}

async function assertArtifactMatches(trx: Kysely<Database>, file: TargetFile, path: string, release: ReleaseInfo): Promise<void> {
  const sha256 = file.hashes['sha256']?.toLowerCase();
  if (!sha256) throw stewardError('STW_REPO_TARGET_MISMATCH', `${path} must list a sha256 hash`, { path });
  const blob = await trx.selectFrom('blobs').select(['sha256', 'sha512', 'length']).where('sha256', '=', sha256).executeTakeFirst();
  if (!blob) throw stewardError('STW_REPO_TARGET_UNKNOWN', `${path}: no uploaded artifact has sha256 ${sha256}`, { path, sha256 });
  const sha512 = file.hashes['sha512']?.toLowerCase();
  if (Number(blob.length) !== file.length || (sha512 !== undefined && sha512 !== blob.sha512)) {
    throw stewardError('STW_REPO_TARGET_MISMATCH', `${path}: length or hashes differ from the uploaded artifact`, { path, sha256 });
  }
  // A published release is immutable: same bytes and same release facts, or a new path.
  const published = await trx.selectFrom('releases').selectAll().where('target_path', '=', path).executeTakeFirst();
  if (published && (published.sha256 !== sha256 || !sameFacts(published, release))) {
    throw stewardError('STW_REPO_TARGET_MISMATCH', `${path} was published before with other content or release facts; publish a new path`, { path });
  }
}

function sameFacts(row: { version: string; component: string; hardware_ids: string; min_from_version: string | null; notes: string }, release: ReleaseInfo): boolean {
  return (
    row.version === release.version &&
    row.component === release.component &&
    row.hardware_ids === JSON.stringify(release.hardwareIds) &&
    row.min_from_version === (release.minFromVersion ?? null) &&
    row.notes === release.notes
  );
}
