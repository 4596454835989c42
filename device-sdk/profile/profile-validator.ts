/**
 * Schema check of a profile document on the terminal (DESIGN "Trust model" 3: profiles are
 * director-signed and schema-checked on the terminal). Injected so the applier does not
 * depend on one document model; the default is `ProfileDocument.fromBytes` from manifests/.
 */
import { ManifestError, ProfileDocument } from '../../manifests/index.js';
import { DeviceError } from '../errors.js';

/** Parse and validate; throw when the bytes are not a valid profile. */
export type ProfileValidator = (bytes: Uint8Array) => { readonly version: number };

export const defaultProfileValidator: ProfileValidator = (bytes) => ProfileDocument.fromBytes(bytes);

/** Run `validator`, turning any failure into STW_DEVICE_PROFILE_INVALID (the manifest code kept in details). */
export function validateProfile(validator: ProfileValidator, bytes: Uint8Array): { readonly version: number } {
  let document: { readonly version: number };
  try {
    document = validator(bytes);
  } catch (error) {
    const manifestCode = error instanceof ManifestError ? error.code : undefined;
    throw new DeviceError('STW_DEVICE_PROFILE_INVALID', 'profile document is not valid', { cause: error, details: { manifestCode } });
  }
  if (!Number.isSafeInteger(document.version) || document.version < 1) {
    throw new DeviceError('STW_DEVICE_PROFILE_INVALID', 'profile version is not a positive integer', { details: { version: document.version } });
  }
  return document;
}
