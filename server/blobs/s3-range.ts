import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageError } from '../db/storage-error.js';
import type { BlobRange } from './blob-store.js';

/**
 * Checks a ranged GetObject answer against the request before any byte is handed out, so a
 * store that bends the rules can never make us serve other bytes than those asked for. Seen in
 * practice: s3rver answers `bytes=0-0` with the whole object and `bytes=0-` on an empty object
 * with 206 instead of 416 (RFC 9110 15.5.17).
 *
 * Returns the total length and how many bytes of the body to pass on.
 */
export function checkRangeAnswer(range: BlobRange, contentRange: string | undefined, key: string): { totalLength: number; length: number } {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange ?? '');
  if (!match) throw answerError('the store ignored the Range header', key, contentRange);
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (range.start >= total) {
    throw new StorageError('STW_BLOB_RANGE_NOT_SATISFIABLE', 'the range starts past the end of the blob', { details: { start: range.start, totalLength: total } });
  }
  const wantedEnd = Math.min(range.end ?? total - 1, total - 1);
  if (start !== range.start || end < wantedEnd) throw answerError('the store answered another range', key, contentRange);
  return { totalLength: total, length: wantedEnd - start + 1 };
}

/** Passes on the first `length` bytes of `body`, then ends (and releases `body`). */
export function firstBytes(body: Readable, length: number): Readable {
  let remaining = length;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (remaining > 0) this.push(chunk.subarray(0, remaining));
      remaining -= Math.min(remaining, chunk.length);
      callback();
      if (remaining === 0) {
        this.push(null);
        body.destroy();
      }
    },
  });
  pipeline(body, limiter).catch((error: unknown) => {
    if (remaining > 0) limiter.destroy(error as Error); // a failure after the last wanted byte is irrelevant
  });
  return limiter;
}

function answerError(message: string, key: string, contentRange: string | undefined): StorageError {
  return new StorageError('STW_BLOB_BACKEND', message, { details: { operation: 'GetObject', key, contentRange: contentRange ?? null } });
}
