import { ManifestError } from '../errors.js';

/**
 * Why a certificate chain was refused, in `details.reason` of a `STW_MANIFEST_CERT_INVALID`
 * error. Callers (the enrolment route, the audit log) branch on this, never on message text.
 */
export type CertificateRejectionReason =
  /** The chain is empty or longer than the cap. */
  | 'chain-length'
  /** Not a single well-formed PEM `CERTIFICATE`, not canonical DER, inner and outer signature algorithms differ, or an extension repeats. */
  | 'malformed'
  /** Not an RSA key (the only kind this verifier reads), or RSA shorter than 2048 bits. */
  | 'unsupported-key'
  /** Signed with an algorithm refused here (MD5, SHA-1, unusual RSASSA-PSS parameters). */
  | 'unsupported-algorithm'
  /** A certificate's issuer name is not the subject of the next one in the chain. */
  | 'issuer-mismatch'
  /** A signature does not verify with the issuer's key. */
  | 'signature'
  /** The chain does not end at a registered vendor CA. */
  | 'untrusted-root'
  /** `now` is after `notAfter` of some certificate. */
  | 'expired'
  /** `now` is before `notBefore` of some certificate. */
  | 'not-yet-valid'
  /** An issuer lacks basicConstraints cA=true. */
  | 'not-a-ca'
  /** An issuer's pathLenConstraint is exceeded. */
  | 'path-length'
  /** The leaf is itself a CA. */
  | 'leaf-is-ca'
  /** keyUsage / extKeyUsage forbid the use: no digitalSignature on the leaf, no keyCertSign on an issuer. */
  | 'key-usage'
  /** A critical extension this verifier does not process (RFC 5280 4.2). */
  | 'unsupported-extension'
  /** The leaf subject lacks a single readable serialNumber or OU, or a name is unreadable. */
  | 'subject';

/** Why a key or container could not be converted, in `details.reason` of `STW_MANIFEST_KEY_ENCODING`. */
export type KeyEncodingFailureReason =
  /** Not exactly one PEM block with the expected label, or bad base64. */
  | 'pem'
  /** Legacy OpenSSL-encrypted PEM (Proc-Type headers): decrypt it first. */
  | 'encrypted-pem'
  /** The key is not RSA where RSA is required (PKCS#1). */
  | 'not-rsa'
  /** A PKCS#12 file holds no private key, or more than one. */
  | 'key-count'
  /** The underlying library could not read, decrypt or convert the structure. */
  | 'unreadable';

/** Builds the error for a refused certificate chain. */
export function certificateInvalid(
  reason: CertificateRejectionReason,
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): ManifestError {
  return new ManifestError('STW_MANIFEST_CERT_INVALID', message, { cause, details: { reason, ...details } });
}

/** Builds the error for a key or container that could not be read or converted. */
export function keyEncodingFailed(reason: KeyEncodingFailureReason, message: string, cause?: unknown): ManifestError {
  return new ManifestError('STW_MANIFEST_KEY_ENCODING', message, { cause, details: { reason } });
}
