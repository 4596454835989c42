/**
 * The one error class of `manifests/`. Callers and tests branch on `code`, never on text.
 *
 * @example
 * try { Root.fromJSON(input) } catch (e) {
 *   if (e instanceof ManifestError && e.code === 'STW_MANIFEST_INVALID') { ... }
 * }
 */
export type ManifestErrorCode =
  /** Bytes are not JSON, or exceed the size or nesting limits. */
  | 'STW_MANIFEST_MALFORMED_JSON'
  /** A document does not have the shape its model requires. */
  | 'STW_MANIFEST_INVALID'
  /** `_type` is not the role that was expected. */
  | 'STW_MANIFEST_WRONG_TYPE'
  /** `spec_version` has a major version this implementation does not support. */
  | 'STW_MANIFEST_UNSUPPORTED_SPEC'
  /** A key has an unknown key type or scheme, or a malformed public value. */
  | 'STW_MANIFEST_UNSUPPORTED_KEY'
  /** Fewer valid signatures from distinct authorised keys than the threshold. */
  | 'STW_MANIFEST_THRESHOLD_NOT_MET'
  /** The role's `expires` is not after the reference time. */
  | 'STW_MANIFEST_EXPIRED'
  /** A version is lower than (or, for root, not exactly one above) the trusted one. */
  | 'STW_MANIFEST_VERSION_ROLLBACK'
  /** A version does not match the one a referring role pinned. */
  | 'STW_MANIFEST_VERSION_MISMATCH'
  /** A length or hash does not match what a referring role pinned. */
  | 'STW_MANIFEST_HASH_MISMATCH'
  | 'STW_MANIFEST_LENGTH_MISMATCH'
  /** Signing failed (bad private key, key type mismatch). */
  | 'STW_MANIFEST_SIGNING_FAILED'
  /** An X.509 certificate chain does not verify against the trusted CA. */
  | 'STW_MANIFEST_CERT_INVALID'
  /** A PEM / PKCS#8 / PKCS#12 structure could not be read or converted. */
  | 'STW_MANIFEST_KEY_ENCODING';

export class ManifestError extends Error {
  readonly code: ManifestErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ManifestErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ManifestError';
    this.code = code;
    this.details = options?.details;
  }
}
