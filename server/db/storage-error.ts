/**
 * The one error class of the server's storage layer (`server/db/` and `server/blobs/`).
 * Callers branch on `code`, never on message text; the original failure is kept as `cause`.
 *
 * @example
 * try { await blobs.put(body, { maxLength }) } catch (e) {
 *   if (e instanceof StorageError && e.code === 'STW_BLOB_TOO_LARGE') reply.code(413);
 * }
 */
export type StorageErrorCode =
  // database
  /** The database URL has a scheme other than `sqlite:`, `postgres://` or `postgresql://`. */
  | 'STW_DB_UNSUPPORTED_URL'
  /** The database could not be opened (file, directory or pragma failure). */
  | 'STW_DB_OPEN_FAILED'
  /** A migration failed; `cause` is the driver's error, `details.migration` its name. */
  | 'STW_DB_MIGRATION_FAILED'
  /** A value read back (a count or a length) is not a safe integer. */
  | 'STW_DB_INVALID_VALUE'
  // blobs
  /** The upload exceeded `maxLength`; nothing was stored. */
  | 'STW_BLOB_TOO_LARGE'
  /** The upload's SHA-256 differs from `expectedSha256`; nothing was stored. */
  | 'STW_BLOB_HASH_MISMATCH'
  /** No blob with that SHA-256 (for callers that need an error rather than `undefined`). */
  | 'STW_BLOB_NOT_FOUND'
  /** A key is not 64 lowercase hex digits. */
  | 'STW_BLOB_INVALID_KEY'
  /** The requested byte range does not overlap the blob (RFC 9110 15.5.17: 416). */
  | 'STW_BLOB_RANGE_NOT_SATISFIABLE'
  /** The upload's source stream failed (e.g. the client went away); nothing was stored. */
  | 'STW_BLOB_SOURCE_FAILED'
  /** The file system or object store failed; `cause` holds its error. */
  | 'STW_BLOB_BACKEND';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StorageError';
    this.code = code;
    this.details = options?.details;
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}
