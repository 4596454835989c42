/**
 * The cross-check of one director image against the image repository (DESIGN "Trust model"
 * 3; Uptane's "director and image repository must agree"). The director is an online
 * service, so nothing it says is trusted alone: the vendor-signed target (found through the
 * full TUF workflow) must agree with it.
 *
 *   director hardware_id is this device's model           else STW_DEVICE_WRONG_HARDWARE
 *   the image repository lists the same target name        else STW_DEVICE_TARGET_NOT_FOUND
 *   with the same length and hashes (sameContentAs)        else STW_DEVICE_TARGET_MISMATCH
 *   its release facts (ReleaseInfo in `custom`) read       else STW_DEVICE_METADATA_INVALID
 *   the release's hardware_ids include this model          else STW_DEVICE_WRONG_HARDWARE
 *   director component and version are the release's       else STW_DEVICE_TARGET_MISMATCH
 *   release version not below the installed one (semver)   else STW_DEVICE_DOWNGRADE
 *   installed version not below min_from_version           else STW_DEVICE_MIN_VERSION
 *
 * The version compared is the vendor's, never the director's alone. A release equal to the
 * installed version is `installed`: nothing to do.
 *
 * @example
 * const decision = await checkImage(image, updater, { hardwareModel: 't100', installedVersion: '1.1.0' });
 * if (decision.kind === 'reject') queue({ kind: 'rejected', code: decision.code, ... });
 */
import semver from 'semver';
import { ReleaseInfo, type DirectorImage, type TargetFile } from '../../manifests/index.js';
import type { DeviceErrorCode } from '../errors.js';

/** The image repository as the cross-check needs it (the TUF `Updater` is one). */
export interface TargetLookup {
  getTargetInfo(targetPath: string): Promise<TargetFile | undefined>;
}

export interface ImageCheckFacts {
  readonly hardwareModel: string;
  /** The version of the image's component running now, if known. */
  readonly installedVersion: string | undefined;
}

export type ImageDecision =
  | { readonly kind: 'accept'; readonly image: DirectorImage; readonly target: TargetFile; readonly release: ReleaseInfo }
  | { readonly kind: 'installed'; readonly image: DirectorImage; readonly release: ReleaseInfo }
  | { readonly kind: 'reject'; readonly image: DirectorImage; readonly code: DeviceErrorCode; readonly reason: string; readonly details: Record<string, unknown> };

export async function checkImage(image: DirectorImage, repository: TargetLookup, facts: ImageCheckFacts): Promise<ImageDecision> {
  const reject = (code: DeviceErrorCode, reason: string, details: Record<string, unknown> = {}): ImageDecision => ({ kind: 'reject', image, code, reason, details: { target: image.file.path, ...details } });
  if (image.hardwareId !== facts.hardwareModel) {
    return reject('STW_DEVICE_WRONG_HARDWARE', 'director-hardware-id', { hardwareId: image.hardwareId, model: facts.hardwareModel });
  }
  const target = await repository.getTargetInfo(image.file.path);
  if (target === undefined) return reject('STW_DEVICE_TARGET_NOT_FOUND', 'not-in-image-repository');
  if (!image.file.sameContentAs(target)) {
    return reject('STW_DEVICE_TARGET_MISMATCH', 'content', { director: { length: image.file.length, hashes: image.file.hashes }, repository: { length: target.length, hashes: target.hashes } });
  }
  let release: ReleaseInfo;
  try {
    release = ReleaseInfo.fromCustom(target.custom, target.path);
  } catch {
    return reject('STW_DEVICE_METADATA_INVALID', 'release-info');
  }
  if (!release.runsOn(facts.hardwareModel)) {
    return reject('STW_DEVICE_WRONG_HARDWARE', 'release-hardware-ids', { hardwareIds: release.hardwareIds, model: facts.hardwareModel });
  }
  if (release.component !== image.component || !sameVersion(release.version, image.version)) {
    return reject('STW_DEVICE_TARGET_MISMATCH', 'release-facts', {
      director: { component: image.component, version: image.version },
      repository: { component: release.component, version: release.version },
    });
  }
  const installed = facts.installedVersion === undefined ? null : semver.valid(facts.installedVersion);
  if (installed !== null) {
    const order = semver.compare(release.version, installed);
    if (order < 0) return reject('STW_DEVICE_DOWNGRADE', 'downgrade', { version: release.version, installed });
    if (order === 0) return { kind: 'installed', image, release };
  }
  if (release.minFromVersion !== undefined && (installed === null || semver.lt(installed, release.minFromVersion))) {
    return reject('STW_DEVICE_MIN_VERSION', 'min-from-version', { minFromVersion: release.minFromVersion, installed: facts.installedVersion ?? null });
  }
  return { kind: 'accept', image, target, release };
}

function sameVersion(a: string, b: string): boolean {
  const left = semver.valid(a);
  const right = semver.valid(b);
  return left !== null && right !== null && semver.eq(left, right);
}
