/**
 * Whether a release suits one device: built for its hardware model, newer than the version
 * of that component it runs (semver), and reachable from it (`min_from_version`: a release
 * that can only be applied on top of a given version is not offered to an older one, nor to
 * a device that reports no version of the component).
 *
 * @example
 * releaseFits({ component: 'firmware', version: '1.2.0', hardwareIds: ['t100'], minFromVersion: '1.0.0' }, facts);
 */
import semver from 'semver';
import type { DeviceFacts } from './rollout-planner.js';

export interface ReleaseFacts {
  readonly component: string;
  readonly version: string;
  readonly hardwareIds: readonly string[];
  readonly minFromVersion: string | null;
}

export function releaseFits(release: ReleaseFacts, device: DeviceFacts): boolean {
  if (!release.hardwareIds.includes(device.hardwareModel)) return false;
  if (!semver.valid(release.version)) return false;
  const installed = device.installed.get(release.component);
  if (installed === undefined) return release.minFromVersion === null;
  // A version we cannot compare is never "older": refuse rather than risk a downgrade.
  if (!semver.valid(installed) || !semver.gt(release.version, installed)) return false;
  return release.minFromVersion === null || (semver.valid(release.minFromVersion) !== null && semver.gte(installed, release.minFromVersion));
}
