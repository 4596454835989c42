/**
 * Role names and target paths are chosen by whoever writes the metadata, so they never reach
 * a URL or a file name unescaped (TUF 5.6.1 / 5.6.7: delegated role files are named after the
 * role). Everything but `A-Z a-z 0-9 . _ -` is percent-encoded byte by byte (UTF-8, RFC 3986
 * 2.1), which keeps `/`, `\` and control characters out of both. A leading `.` is encoded
 * too, so no name can be `.`, `..` or a hidden file.
 *
 * @example
 * encodeRoleName('acme/pos fw')   // 'acme%2Fpos%20fw'
 */
import { TOP_LEVEL_ROLES } from '../../manifests/index.js';

const SAFE_BYTE = /^[A-Za-z0-9._-]$/;

/** Percent-encode a role name or target path into one safe URL segment and file name. */
export function encodeRoleName(name: string): string {
  let out = '';
  for (const char of name) {
    if (SAFE_BYTE.test(char) && !(char === '.' && out === '')) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Whether `name` is one of root, targets, snapshot, timestamp. */
export function isTopLevelRoleName(name: string): boolean {
  return (TOP_LEVEL_ROLES as readonly string[]).includes(name);
}
