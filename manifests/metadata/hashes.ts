/**
 * `hashes` objects (TUF 4.3 HASHES: algorithm -> hex digest) and the streaming check of bytes
 * against them. sha256 and sha512 are computed; digests under other algorithm names are kept
 * but cannot be checked, so at least one supported algorithm must be present to verify.
 */
import { createHash, type Hash } from 'node:crypto';
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader, invalid } from '../json/object-reader.js';

export type Hashes = Readonly<Record<string, string>>;
export const SUPPORTED_HASH_ALGORITHMS = ['sha256', 'sha512'] as const;
const HEX_DIGEST = /^[0-9a-f]+$/i;

export function readHashes(value: unknown, path: string): Hashes {
  const reader = ObjectReader.of(value, path);
  const hashes: Record<string, string> = {};
  for (const [algorithm] of reader.entries()) hashes[algorithm] = reader.string(algorithm, { pattern: HEX_DIGEST });
  if (Object.keys(hashes).length === 0) throw invalid(path, 'must name at least one hash');
  return hashes;
}

export function writeHashes(hashes: Hashes): JsonObject {
  return { ...hashes };
}

/** Hashers for every supported algorithm named in `hashes`; feed bytes, then `matches()`. */
export class HashChecker {
  readonly #expected: [string, string][];
  readonly #hashers: Map<string, Hash>;

  constructor(expected: Hashes) {
    this.#expected = Object.entries(expected).filter(([algorithm]) => (SUPPORTED_HASH_ALGORITHMS as readonly string[]).includes(algorithm));
    this.#hashers = new Map(this.#expected.map(([algorithm]) => [algorithm, createHash(algorithm)]));
  }

  /** False when none of the named algorithms can be computed here. */
  get canVerify(): boolean {
    return this.#expected.length > 0;
  }

  update(chunk: Uint8Array): void {
    for (const hasher of this.#hashers.values()) hasher.update(chunk);
  }

  /** Digest everything fed so far and compare; true only if every supported hash matches. */
  matches(): boolean {
    if (!this.canVerify) return false;
    return this.#expected.every(([algorithm, digest]) => this.#hashers.get(algorithm)?.digest('hex') === digest.toLowerCase());
  }
}

export function hashesMatch(bytes: Uint8Array, expected: Hashes): boolean {
  const checker = new HashChecker(expected);
  checker.update(bytes);
  return checker.matches();
}

/** The sha256 and sha512 of some bytes, in the `hashes` form. */
export function computeHashes(bytes: Uint8Array): { sha256: string; sha512: string } {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), sha512: createHash('sha512').update(bytes).digest('hex') };
}
