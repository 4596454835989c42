import { assertBlobKey } from './blob-key.js';
import type { BlobPutOptions } from './blob-store.js';

/** Rejects options that would silently disable a limit (a NaN `maxLength` compares false). */
export function assertPutOptions(options: BlobPutOptions): void {
  if (!Number.isSafeInteger(options.maxLength) || options.maxLength < 0) {
    throw new TypeError(`maxLength must be a non-negative integer, got ${String(options.maxLength)}`);
  }
  if (options.expectedSha256 !== undefined) assertBlobKey(options.expectedSha256);
}
