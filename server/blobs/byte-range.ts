import { StorageError } from '../db/storage-error.js';
import type { BlobRange } from './blob-store.js';

/** Checks a requested range before anything is opened: integers, start >= 0, end >= start. */
export function assertRange(range: BlobRange): void {
  const { start, end } = range;
  const valid = Number.isSafeInteger(start) && start >= 0 && (end === undefined || (Number.isSafeInteger(end) && end >= start));
  if (!valid) {
    throw new StorageError('STW_BLOB_RANGE_NOT_SATISFIABLE', 'a range needs integers 0 <= start <= end', { details: { start, end } });
  }
}

/**
 * The inclusive byte positions to read from a blob of `totalLength` bytes. As in
 * RFC 9110 14.1.2, an `end` past the last byte is clipped and a `start` at or past the end
 * is unsatisfiable (also for an empty blob).
 */
export function resolveRange(range: BlobRange, totalLength: number): { start: number; end: number } {
  assertRange(range);
  if (range.start >= totalLength) {
    throw new StorageError('STW_BLOB_RANGE_NOT_SATISFIABLE', 'the range starts past the end of the blob', {
      details: { start: range.start, totalLength },
    });
  }
  return { start: range.start, end: Math.min(range.end ?? totalLength - 1, totalLength - 1) };
}
