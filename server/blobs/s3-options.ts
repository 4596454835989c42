import type { S3ClientConfig, S3Client } from '@aws-sdk/client-s3';
import type { HasherPool } from './hasher-pool.js';

export interface S3BlobStoreOptions {
  readonly bucket: string;
  readonly region: string;
  /** For S3-compatible stores (Ceph RGW, MinIO): `http://127.0.0.1:7480`. AWS when absent. */
  readonly endpoint?: string | undefined;
  /** Static credentials; the SDK's default chain (environment, profile, IMDS) when absent. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string } | undefined;
  /** Key prefix inside the bucket, e.g. `steward/` (include the trailing slash). */
  readonly prefix?: string | undefined;
  /** Endpoint to put in presigned URLs when devices reach the store by another name. */
  readonly presignEndpoint?: string | undefined;
  /** Upload part size in bytes (minimum 5 MiB); raised automatically for very large `maxLength`. */
  readonly partSize?: number | undefined;
  /** Parts uploaded at once; memory per upload is about `partSize * (queueSize + 1)`. */
  readonly queueSize?: number | undefined;
  /** Blobs larger than this are copied with UploadPartCopy instead of CopyObject (max 5 GiB). */
  readonly multipartCopyThreshold?: number | undefined;
  /** Part size of a multipart copy (5 MiB to 5 GiB). */
  readonly copyPartSize?: number | undefined;
  /** A ready client (shared, or instrumented in tests); the options above then only name the bucket. */
  readonly client?: S3Client | undefined;
  /** Hash threads to use (shared with other stores); by default the store starts its own. */
  readonly hashers?: HasherPool | undefined;
}

export const defaultS3BlobStoreOptions = {
  partSize: 8 * 1024 * 1024, // bytes
  queueSize: 4, // parts in flight
  multipartCopyThreshold: 5 * 1024 ** 3, // bytes: S3's CopyObject limit
  copyPartSize: 1024 ** 3, // bytes
};

/**
 * The client settings every S3 store here needs:
 * - `forcePathStyle`: `http://host/bucket/key`; S3-compatible stores on an IP address or
 *   without wildcard DNS cannot serve `bucket.host`.
 * - `requestChecksumCalculation: 'WHEN_REQUIRED'`: SDK v3 otherwise sends streamed bodies as
 *   `aws-chunked` with CRC32 trailers, which Ceph RGW rejects (MissingContentLength) and
 *   s3rver stores with the chunk framing inside the object.
 * - `responseChecksumValidation: 'WHEN_REQUIRED'`: do not ask for, or insist on, checksums
 *   that S3-compatible stores may not return; integrity is checked with our own SHA-256.
 */
export function s3ClientConfig(options: S3BlobStoreOptions, endpoint: string | undefined): S3ClientConfig {
  return {
    region: options.region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}
