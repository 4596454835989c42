/** Maps a ManifestError from checking a submitted document to the server's error codes. */
import { ManifestError } from '../../manifests/index.js';
import { stewardError, type StewardError, type StewardErrorCode } from '../errors.js';

export function toStewardError(error: unknown, role: string): unknown {
  if (!(error instanceof ManifestError)) return error;
  return stewardError(codeFor(error), `${role}: ${error.message}`, { role, ...(error.details ?? {}), manifestCode: error.code }, error);
}

function codeFor(error: ManifestError): StewardErrorCode {
  switch (error.code) {
    case 'STW_MANIFEST_MALFORMED_JSON':
      return 'STW_REQUEST_MALFORMED_JSON';
    case 'STW_MANIFEST_THRESHOLD_NOT_MET':
      return 'STW_REPO_SIGNATURE_INVALID';
    case 'STW_MANIFEST_EXPIRED':
      return 'STW_REPO_EXPIRED';
    case 'STW_MANIFEST_VERSION_ROLLBACK':
    case 'STW_MANIFEST_VERSION_MISMATCH':
      return 'STW_REPO_VERSION_NOT_INCREASED';
    default:
      return 'STW_REPO_METADATA_INVALID';
  }
}

/** Run `body`, turning ManifestErrors into StewardErrors for `role`. */
export async function checking<T>(role: string, body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toStewardError(error, role) as StewardError;
  }
}
