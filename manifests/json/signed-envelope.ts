/**
 * Finds `signed` as raw bytes in an envelope written in canonical form,
 * `{"signatures":[...],"signed":{...}}` (keys sorted, no whitespace; what `Metadata.toBytes`
 * writes). A verifier can then check signatures over those bytes as received and read the
 * role from exactly them, instead of re-encoding the parsed role as canonical JSON (TUF 4.2),
 * which is most of the cost of checking a small role.
 *
 * Nothing here decides trust: a wrong split (a crafted string that contains the separator,
 * extra top-level fields, whitespace) yields bytes no signature covers or that do not parse,
 * and the caller falls back to the canonical encoding.
 */
const HEAD = Buffer.from('{"signatures":[', 'latin1');
const SEPARATOR = Buffer.from('],"signed":{', 'latin1');
const CLOSE_BRACE = 0x7d;

export interface EnvelopeParts {
  /** The signatures array, `[` to `]`. */
  readonly signatures: Buffer;
  /** The value of `signed`, `{` to `}`: the bytes a canonical signer signed. */
  readonly signed: Buffer;
}

/** The two parts of a canonical-form envelope, or undefined when `bytes` does not have that shape. */
export function splitCanonicalEnvelope(bytes: Buffer): EnvelopeParts | undefined {
  if (bytes.byteLength < HEAD.byteLength + SEPARATOR.byteLength || bytes[bytes.byteLength - 1] !== CLOSE_BRACE) return undefined;
  if (bytes.compare(HEAD, 0, HEAD.byteLength, 0, HEAD.byteLength) !== 0) return undefined;
  const at = bytes.indexOf(SEPARATOR, HEAD.byteLength - 1);
  if (at < 0) return undefined;
  return {
    signatures: bytes.subarray(HEAD.byteLength - 1, at + 1),
    signed: bytes.subarray(at + SEPARATOR.byteLength - 1, bytes.byteLength - 1),
  };
}
