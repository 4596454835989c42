/**
 * The seam through which merchant parameter profiles will reach director documents: for a
 * device, the profile target (a director-signed profile document stored as a target) the
 * director must name, or undefined. Until profiles are served, no device is named one.
 *
 * @example
 * const profiles: ProfileSource = { profileFor: async (device) => latestProfileTargetFor(device) };
 */
import type { DeviceRecord } from '../devices/device-record.js';
import type { DesiredProfile } from './desired-state.js';

export interface ProfileSource {
  profileFor(device: DeviceRecord, now: Date): Promise<DesiredProfile | undefined>;
}

/** Names no profile: the director lists images only. */
export const noProfiles: ProfileSource = {
  profileFor: () => Promise.resolve(undefined),
};
