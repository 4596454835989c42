import type { BlobStore } from './blob-store.js';
import { FsBlobStore } from './fs-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

/** Which blob store to use; the same shape as the server configuration's `blobs`. */
export type BlobStoreConfig =
  | { readonly kind: 'fs'; readonly dir: string }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly region: string;
      readonly endpoint?: string | undefined;
      readonly accessKeyId?: string | undefined;
      readonly secretAccessKey?: string | undefined;
      readonly prefix?: string | undefined;
      readonly presignEndpoint?: string | undefined;
    };

/**
 * The blob store a configuration names. Static S3 credentials are used only when both halves
 * are given; otherwise the AWS SDK's default provider chain applies.
 *
 * @example
 * const blobs = openBlobStore(config.blobs); // { kind: 'fs', dir: './data/blobs' } by default
 */
export function openBlobStore(config: BlobStoreConfig): BlobStore {
  switch (config.kind) {
    case 'fs':
      return new FsBlobStore(config.dir);
    case 's3': {
      const { accessKeyId, secretAccessKey } = config;
      return new S3BlobStore({
        bucket: config.bucket,
        region: config.region,
        endpoint: config.endpoint,
        prefix: config.prefix,
        presignEndpoint: config.presignEndpoint,
        credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      });
    }
    default: {
      const unknown: never = config;
      throw new TypeError(`unknown blob store kind ${String((unknown as { kind?: unknown }).kind)}`);
    }
  }
}
