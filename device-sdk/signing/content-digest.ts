/**
 * The `Content-Digest` field of RFC 9530 (section 2) with the `sha-256` algorithm
 * (section 5): a Structured Field Dictionary whose value is a Byte Sequence, e.g.
 * `sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:` for the empty body.
 * A body-less request carries the digest of the empty body (protocol.md section 2).
 *
 * @example
 * headers['content-digest'] = contentDigest(Buffer.from('{"a":1}'));
 */
import { createHash } from 'node:crypto';

export function contentDigest(body: Uint8Array = new Uint8Array(0)): string {
  // RFC 8941 3.3.5: a Byte Sequence is base64 (with padding) between colons.
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}
