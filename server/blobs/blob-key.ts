import { StorageError } from '../db/storage-error.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Checks that `key` is a SHA-256 in lowercase hex before it becomes part of a path or an
 * object key (so no key can ever climb out of the store's directory or prefix).
 */
export function assertBlobKey(key: string): string {
  if (!SHA256_HEX.test(key)) {
    throw new StorageError('STW_BLOB_INVALID_KEY', 'a blob key is a SHA-256 in lowercase hex', { details: { key: key.slice(0, 80) } });
  }
  return key;
}
