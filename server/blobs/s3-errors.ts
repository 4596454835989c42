import { StorageError } from '../db/storage-error.js';

interface S3ServiceErrorShape {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

function shape(error: unknown): S3ServiceErrorShape {
  return typeof error === 'object' && error !== null ? (error as S3ServiceErrorShape) : {};
}

/** A missing object: `NoSuchKey` (GET) or a bodiless 404 `NotFound` (HEAD), not a missing bucket. */
export function isS3NotFound(error: unknown): boolean {
  const { name, $metadata } = shape(error);
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}

/** 416 `InvalidRange`: the range starts at or after the end of the object. */
export function isS3InvalidRange(error: unknown): boolean {
  const { name, $metadata } = shape(error);
  return name === 'InvalidRange' || $metadata?.httpStatusCode === 416;
}

/** Runs one S3 call, wrapping its failure as STW_BLOB_BACKEND with the SDK error as `cause`. */
export async function s3Call<T>(operation: string, key: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw new StorageError('STW_BLOB_BACKEND', `S3 ${operation} failed`, {
      cause: error,
      details: { operation, key, s3Error: shape(error).name ?? null, httpStatus: shape(error).$metadata?.httpStatusCode ?? null },
    });
  }
}
