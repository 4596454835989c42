import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCopyCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { StorageError } from '../db/storage-error.js';
import { s3Call } from './s3-errors.js';

/** S3's limit for a single CopyObject, and for one UploadPartCopy part (5 GiB). */
export const S3_MAX_COPY_BYTES = 5 * 1024 ** 3;

export interface S3CopyRequest {
  readonly bucket: string;
  readonly from: string;
  readonly to: string;
  readonly length: number;
  /** Objects larger than this are copied part by part (UploadPartCopy). */
  readonly multipartThreshold: number;
  /** Part size for UploadPartCopy, between 5 MiB and 5 GiB. */
  readonly partSize: number;
}

/**
 * Copies `from` to `to` inside the bucket, server-side. The destination appears only when
 * complete: CopyObject is atomic, and a multipart copy becomes visible at
 * CompleteMultipartUpload (and is aborted on any failure).
 */
export async function copyObject(client: S3Client, request: S3CopyRequest): Promise<void> {
  const { bucket, from, to, length } = request;
  const copySource = `${bucket}/${from.split('/').map(encodeURIComponent).join('/')}`;
  if (length <= request.multipartThreshold) {
    await s3Call('CopyObject', to, () => client.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: copySource })));
    return;
  }
  const { UploadId } = await s3Call('CreateMultipartUpload', to, () =>
    client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: to, ContentType: 'application/octet-stream' })),
  );
  try {
    const parts: CompletedPart[] = [];
    for (let start = 0, partNumber = 1; start < length; start += request.partSize, partNumber++) {
      const end = Math.min(start + request.partSize, length) - 1;
      const result = await s3Call('UploadPartCopy', to, () =>
        client.send(
          new UploadPartCopyCommand({ Bucket: bucket, Key: to, UploadId, PartNumber: partNumber, CopySource: copySource, CopySourceRange: `bytes=${start}-${end}` }),
        ),
      );
      parts.push({ PartNumber: partNumber, ETag: result.CopyPartResult?.ETag });
    }
    await s3Call('CompleteMultipartUpload', to, () =>
      client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: to, UploadId, MultipartUpload: { Parts: parts } })),
    );
  } catch (error) {
    // The copy's own failure is what the caller needs; an abort that also fails is recorded
    // with it (its parts are then left to the bucket's AbortIncompleteMultipartUpload rule).
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: to, UploadId })).catch((abortError: unknown) => {
      if (error instanceof StorageError && error.details) error.details['abortError'] = String(abortError);
    });
    throw error;
  }
}
