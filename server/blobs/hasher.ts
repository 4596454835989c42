import { createHash, type Hash } from 'node:crypto';

/** The hashes a blob store computes while it streams (the ones TUF target entries carry). */
export type HashAlgorithm = 'sha256' | 'sha512';

/** Lowercase hex digests by algorithm. */
export type HashDigests = Partial<Record<HashAlgorithm, string>>;

/**
 * Running hashes of one byte stream (one or more algorithms), maybe on another thread (see
 * HasherPool).
 *
 * Contract: `bytes` may be reused by the caller as soon as `update` returns. When `update`
 * returns a promise, the hasher is full: wait for it before the next `update` or `digest`.
 * `release` must be called once the hasher is no longer needed, after `digest` or instead of
 * it (an abandoned upload); it never throws and may be called more than once.
 *
 * @example
 * const hasher = pool.lease(['sha256', 'sha512']);
 * try {
 *   for await (const chunk of body) await hasher.update(chunk);
 *   const { sha256, sha512 } = await hasher.digest();
 * } finally {
 *   hasher.release();
 * }
 */
export interface Hasher {
  update(bytes: Uint8Array): Promise<void> | undefined;
  /** The digest of everything passed to `update`, for each algorithm of the hasher. */
  digest(): Promise<HashDigests>;
  release(): void;
}

/** Hashes on the calling thread (closed pools, no worker threads, or by choice). */
export class InlineHasher implements Hasher {
  readonly #hashes: (readonly [HashAlgorithm, Hash])[];

  constructor(algorithms: readonly HashAlgorithm[]) {
    this.#hashes = algorithms.map((algorithm) => [algorithm, createHash(algorithm)] as const);
  }

  update(bytes: Uint8Array): undefined {
    for (const [, hash] of this.#hashes) hash.update(bytes);
    return undefined;
  }

  async digest(): Promise<HashDigests> {
    return Object.fromEntries(this.#hashes.map(([algorithm, hash]) => [algorithm, hash.digest('hex')]));
  }

  release(): void {}
}
