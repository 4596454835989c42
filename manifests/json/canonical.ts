/**
 * Canonical JSON as TUF signs it (OLPC canonical form: keys sorted, no insignificant
 * whitespace, integers only, only `"` and `\` escaped). TUF 4.2: "the canonical JSON form".
 * The encoding itself is @tufjs/canonical-json, the implementation tuf-js and sigstore-js use.
 *
 * @example
 * canonicalBytes({ b: 1, a: [true, null] }) // bytes of '{"a":[true,null],"b":1}'
 */
import { canonicalize } from '@tufjs/canonical-json';
import { ManifestError } from '../errors.js';

export function canonicalString(value: unknown): string {
  try {
    return canonicalize(value);
  } catch (error) {
    throw new ManifestError('STW_MANIFEST_INVALID', 'value cannot be written as canonical JSON', { cause: error });
  }
}

export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalString(value), 'utf8');
}
