export type {
  BlobStore,
  BlobSource,
  BlobPutOptions,
  BlobDigest,
  BlobRange,
  BlobReadResult,
  BlobStat,
  BlobPresignOptions,
} from './blob-store.js';
export { FsBlobStore } from './fs-blob-store.js';
export type { FsBlobStoreOptions } from './fs-blob-store.js';
export { HasherPool, defaultHasherPoolOptions } from './hasher-pool.js';
export type { HasherPoolOptions } from './hasher-pool.js';
export { S3BlobStore } from './s3-blob-store.js';
export { defaultS3BlobStoreOptions, s3ClientConfig } from './s3-options.js';
export type { S3BlobStoreOptions } from './s3-options.js';
export { S3_MAX_COPY_BYTES } from './s3-copy.js';
export { openBlobStore } from './open-blob-store.js';
export type { BlobStoreConfig } from './open-blob-store.js';
export { assertBlobKey } from './blob-key.js';
export { StorageError, isStorageError } from '../db/storage-error.js';
export type { StorageErrorCode } from '../db/storage-error.js';
