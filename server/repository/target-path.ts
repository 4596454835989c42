/**
 * Target paths a vendor may publish: relative, `/`-separated, no empty, `.` or `..`
 * segments, no backslashes or control characters, at most 255 bytes, and inside the
 * vendor's own directory `<vendorId>/`. A path that passes here still has to match the
 * vendor's delegation patterns (TUF 5.6.7.2.1).
 */
import { stewardError } from '../errors.js';

const MAX_PATH_BYTES = 255;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

export function assertSafeTargetPath(path: string, vendorId: string): void {
  const reason = unsafeReason(path, vendorId);
  if (reason) throw stewardError('STW_REPO_PATH_INVALID', `target path ${JSON.stringify(path)} ${reason}`, { path, reason });
}

function unsafeReason(path: string, vendorId: string): string | undefined {
  if (Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES) return `is longer than ${MAX_PATH_BYTES} bytes`;
  if (FORBIDDEN.test(path)) return 'contains a control character or a backslash';
  const segments = path.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return 'has an empty, "." or ".." segment';
  if (segments.length < 2 || segments[0] !== vendorId) return `is outside the vendor directory ${vendorId}/`;
  return undefined;
}

/** `<dir>/<hash>.<basename>` -> { path: `<dir>/<basename>`, hash } (TUF 5.7.3 consistent target names). */
export function splitConsistentTargetName(name: string): { path: string; hash: string } | undefined {
  const slash = name.lastIndexOf('/');
  const directory = name.slice(0, slash + 1);
  const file = name.slice(slash + 1);
  const dot = file.indexOf('.');
  if (dot <= 0) return undefined;
  const hash = file.slice(0, dot);
  if (!/^[0-9a-f]{64}$|^[0-9a-f]{128}$/.test(hash)) return undefined;
  return { path: directory + file.slice(dot + 1), hash };
}
