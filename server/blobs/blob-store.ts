/**
 * The seam between the server and wherever artifact bytes live. Blobs are content-addressed
 * by the SHA-256 of their bytes (lowercase hex), so a key names exactly one content and a
 * blob never changes once stored.
 *
 * Guarantees every implementation keeps (checked by test/server/blobs/blob-store-contract.ts):
 * - `put` streams: it hashes while writing, holds a bounded amount in memory, and stores
 *   the blob under its key only when the whole upload arrived, is within `maxLength`, and
 *   matches `expectedSha256`; otherwise it throws and leaves nothing behind.
 * - concurrent `put`s of the same content are fine (the stored bytes are identical).
 * - `put` never destroys the source stream it was given; on failure the caller decides
 *   what to do with it (e.g. answer 413 and let the HTTP server drain or close it).
 * - an upload that fails or is abandoned releases everything it held (files, temporary
 *   objects, its jobs on the store's hash threads).
 *
 * @example
 * const { sha256, length } = await blobs.put(request.raw, { maxLength: 4 * 1024 ** 3 });
 * const found = await blobs.get(sha256, { start: 1024 }); // resume from byte 1024
 * found?.body.pipe(response);
 */
import type { Readable } from 'node:stream';

/** A body to store: a Node stream (e.g. an HTTP request) or any async iterable of bytes. */
export type BlobSource = AsyncIterable<Uint8Array> | Readable;

export interface BlobPutOptions {
  /** Largest accepted upload in bytes; one byte more fails with STW_BLOB_TOO_LARGE. */
  readonly maxLength: number;
  /** When given (lowercase hex), a different SHA-256 fails with STW_BLOB_HASH_MISMATCH. */
  readonly expectedSha256?: string | undefined;
  /** Called with the number of bytes received so far, after each chunk. */
  onProgress?(receivedBytes: number): void;
}

/** What `put` measured while streaming; `sha256` is the blob's key. */
export interface BlobDigest {
  readonly sha256: string;
  readonly sha512: string;
  readonly length: number;
}

/** Bytes `start` to `end`, both inclusive and zero-based (RFC 9110 14.1.2); no `end` = to the last byte. */
export interface BlobRange {
  readonly start: number;
  readonly end?: number | undefined;
}

export interface BlobReadResult {
  readonly body: Readable;
  /** Bytes in `body`: the whole blob, or the range clipped to the blob's end. */
  readonly length: number;
  /** Bytes in the whole blob (for `Content-Range: bytes start-end/totalLength`). */
  readonly totalLength: number;
}

export interface BlobStat {
  readonly length: number;
}

export interface BlobPresignOptions {
  /** Lifetime of the URL in seconds. */
  readonly expiresInSeconds: number;
}

export interface BlobStore {
  /** Streams `source` into the store; see the guarantees above. */
  put(source: BlobSource, options: BlobPutOptions): Promise<BlobDigest>;
  /**
   * The blob's bytes, or `undefined` when there is no such blob. A range that starts at or
   * after the end fails with STW_BLOB_RANGE_NOT_SATISFIABLE; an `end` past the end is clipped.
   */
  get(sha256: string, range?: BlobRange): Promise<BlobReadResult | undefined>;
  stat(sha256: string): Promise<BlobStat | undefined>;
  /** Removes the blob; removing an absent blob is not an error. */
  delete(sha256: string): Promise<void>;
  /** A time-limited URL that GETs the blob directly from object storage (S3 only). */
  presignGet?(sha256: string, options: BlobPresignOptions): Promise<string>;
  /**
   * Ends what the store runs in the background (its hash threads; they keep the process alive
   * only while hashing). Uploads still running fail; a later `put` hashes on the calling thread.
   */
  close(): Promise<void>;
}
