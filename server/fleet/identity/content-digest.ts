/**
 * RFC 9530 `Content-Digest` checking. The field is a Structured Field Dictionary
 * (RFC 8941 3.2) whose members are `<algorithm>=:<base64 digest>:` (RFC 9530 2); Steward
 * requires the `sha-256` member (RFC 9530 5) and compares it with the SHA-256 of the body
 * bytes exactly as received. A body-less request carries the digest of the empty body.
 *
 * @example
 * if (!contentDigestMatches(request.headers['content-digest'], request.rawBody)) refuse();
 */
import { createHash } from 'node:crypto';

// RFC 8941 3.2: key = lcalpha *( lcalpha / DIGIT / "_" / "-" / "." / "*" ); 3.3.5: a Byte Sequence is :base64:
const MEMBER = /^([a-z*][a-z0-9_\-.*]*)=:([A-Za-z0-9+/]*={0,2}):(?:;.*)?$/;

const EMPTY_SHA256 = createHash('sha256').digest('base64');

/** The base64 `sha-256` digest the field declares, or undefined when it has none or is malformed. */
export function declaredSha256(field: string | string[] | undefined): string | undefined {
  if (field === undefined) return undefined;
  const text = Array.isArray(field) ? field.join(',') : field;
  let found: string | undefined;
  for (const member of text.split(',')) {
    const match = MEMBER.exec(member.trim());
    if (!match) return undefined;
    if (match[1] === 'sha-256') {
      if (found !== undefined) return undefined; // RFC 8941 3.2: a repeated key; refuse the ambiguity
      found = match[2];
    }
  }
  return found;
}

export function contentDigestMatches(field: string | string[] | undefined, body: Uint8Array | undefined): boolean {
  const declared = declaredSha256(field);
  if (declared === undefined) return false;
  const actual = body === undefined || body.length === 0 ? EMPTY_SHA256 : createHash('sha256').update(body).digest('base64');
  return declared === actual;
}
