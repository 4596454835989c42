/**
 * Turns the `ManifestError` of a failed check into the `DeviceError` a terminal reports:
 * the code names the attack the check defends against (TUF 1.5.2), `details.reason` keeps
 * the manifest code and `cause` the original error.
 */
import { ManifestError, type ManifestErrorCode } from '../../manifests/index.js';
import { DeviceError, type DeviceErrorCode } from '../errors.js';

export function metadataError(error: unknown, role: string, override?: DeviceErrorCode): DeviceError {
  if (error instanceof DeviceError) return error;
  if (error instanceof ManifestError) {
    return new DeviceError(override ?? deviceCodeFor(error.code), `${role}: ${error.message}`, {
      cause: error,
      details: { ...error.details, role, reason: error.code },
    });
  }
  return new DeviceError(override ?? 'STW_DEVICE_METADATA_INVALID', `${role} could not be checked`, { cause: error, details: { role } });
}

export function deviceCodeFor(code: ManifestErrorCode): DeviceErrorCode {
  switch (code) {
    case 'STW_MANIFEST_THRESHOLD_NOT_MET':
      return 'STW_DEVICE_SIGNATURE_INVALID';
    case 'STW_MANIFEST_EXPIRED':
      return 'STW_DEVICE_FREEZE';
    case 'STW_MANIFEST_VERSION_ROLLBACK':
      return 'STW_DEVICE_ROLLBACK';
    case 'STW_MANIFEST_VERSION_MISMATCH':
    case 'STW_MANIFEST_HASH_MISMATCH':
    case 'STW_MANIFEST_LENGTH_MISMATCH':
      return 'STW_DEVICE_MIX_AND_MATCH';
    case 'STW_MANIFEST_MALFORMED_JSON':
    case 'STW_MANIFEST_INVALID':
    case 'STW_MANIFEST_WRONG_TYPE':
    case 'STW_MANIFEST_UNSUPPORTED_SPEC':
    case 'STW_MANIFEST_UNSUPPORTED_KEY':
    case 'STW_MANIFEST_SIGNING_FAILED':
    case 'STW_MANIFEST_CERT_INVALID':
    case 'STW_MANIFEST_KEY_ENCODING':
      return 'STW_DEVICE_METADATA_INVALID';
  }
}
