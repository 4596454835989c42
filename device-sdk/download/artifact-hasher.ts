/**
 * Computes every expected digest in one pass over the bytes, so an artifact is read once
 * whether one or two hashes were published.
 */
import { createHash, type Hash } from 'node:crypto';
import type { ArtifactHashes, HashAlgorithm } from './expected-artifact.js';

export interface HashMismatch {
  readonly algorithm: HashAlgorithm;
  readonly expected: string;
  readonly actual: string;
}

export class ArtifactHasher {
  readonly #algorithms: readonly HashAlgorithm[];
  #hashes: Map<HashAlgorithm, Hash>;
  #length = 0;

  constructor(algorithms: readonly HashAlgorithm[]) {
    this.#algorithms = algorithms;
    this.#hashes = new Map(algorithms.map((name) => [name, createHash(name)]));
  }

  /** Forget everything seen: start again from byte 0. */
  reset(): void {
    this.#hashes = new Map(this.#algorithms.map((name) => [name, createHash(name)]));
    this.#length = 0;
  }

  /** Bytes seen so far. */
  get length(): number {
    return this.#length;
  }

  update(chunk: Uint8Array): void {
    for (const hash of this.#hashes.values()) hash.update(chunk);
    this.#length += chunk.byteLength;
  }

  /** Finish: the hex digest of every algorithm. Call once. */
  digests(): ArtifactHashes {
    const result: { -readonly [K in HashAlgorithm]?: string } = {};
    for (const [algorithm, hash] of this.#hashes) result[algorithm] = hash.digest('hex');
    return result;
  }

  /** Finish and compare with `expected`; an empty list means every digest matched. Call once. */
  mismatches(expected: ArtifactHashes): HashMismatch[] {
    const found: HashMismatch[] = [];
    for (const [algorithm, actual] of Object.entries(this.digests()) as [HashAlgorithm, string][]) {
      const wanted = (expected[algorithm] ?? '').toLowerCase();
      if (actual !== wanted) found.push({ algorithm, expected: wanted, actual });
    }
    return found;
  }
}
