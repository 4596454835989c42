/**
 * TARGETS entry (TUF 4.5): a target's length, hashes and free-form `custom` data, which
 * Steward uses for release facts (version, hardware ids, component) and director instructions.
 */
import { ManifestError } from '../errors.js';
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader } from '../json/object-reader.js';
import { HashChecker, readHashes, writeHashes, type Hashes } from './hashes.js';

export class TargetFile {
  readonly path: string;
  readonly length: number;
  readonly hashes: Hashes;
  readonly custom: JsonObject | undefined;
  readonly unrecognised: JsonObject;

  constructor(options: { path: string; length: number; hashes: Hashes; custom?: JsonObject | undefined; unrecognised?: JsonObject }) {
    this.path = options.path;
    this.length = options.length;
    this.hashes = options.hashes;
    this.custom = options.custom;
    this.unrecognised = options.unrecognised ?? {};
  }

  static fromJSON(path: string, value: unknown, fieldPath: string): TargetFile {
    const reader = ObjectReader.of(value, fieldPath);
    const length = reader.integer('length', { min: 0 });
    const hashes = readHashes(reader.required('hashes'), reader.field('hashes'));
    const customReader = reader.optionalObject('custom');
    const custom = customReader === undefined ? undefined : (reader.raw('custom') as JsonObject);
    return new TargetFile({ path, length, hashes, custom, unrecognised: reader.unrecognised() });
  }

  toJSON(): JsonObject {
    return {
      ...this.unrecognised,
      length: this.length,
      hashes: writeHashes(this.hashes),
      ...(this.custom === undefined ? {} : { custom: this.custom }),
    };
  }

  /** Same length and identical hashes (every algorithm either names): what the director/repository cross-check needs. */
  sameContentAs(other: TargetFile): boolean {
    if (this.length !== other.length) return false;
    const shared = Object.keys(this.hashes).filter((algorithm) => algorithm in other.hashes);
    return shared.length > 0 && shared.every((algorithm) => this.hashes[algorithm]?.toLowerCase() === other.hashes[algorithm]?.toLowerCase());
  }

  /** A streaming checker of this target's hashes. */
  hashChecker(): HashChecker {
    return new HashChecker(this.hashes);
  }

  /** TUF 5.7.3: the whole artifact must have exactly the listed length and hashes. */
  verifyBytes(bytes: Uint8Array): void {
    if (bytes.byteLength !== this.length) {
      throw new ManifestError('STW_MANIFEST_LENGTH_MISMATCH', `${this.path} is ${bytes.byteLength} bytes, expected ${this.length}`, { details: { target: this.path } });
    }
    const checker = this.hashChecker();
    checker.update(bytes);
    if (!checker.matches()) throw new ManifestError('STW_MANIFEST_HASH_MISMATCH', `${this.path} does not match its hashes`, { details: { target: this.path } });
  }
}
