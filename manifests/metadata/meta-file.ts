/**
 * METAFILES entry (TUF 4.4 / 4.6): the version of a role's metadata that snapshot or
 * timestamp pins, with optional length and hashes.
 */
import { ManifestError } from '../errors.js';
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader } from '../json/object-reader.js';
import { hashesMatch, readHashes, writeHashes, type Hashes } from './hashes.js';

export class MetaFile {
  readonly version: number;
  readonly length: number | undefined;
  readonly hashes: Hashes | undefined;
  readonly unrecognised: JsonObject;

  constructor(options: { version: number; length?: number | undefined; hashes?: Hashes | undefined; unrecognised?: JsonObject }) {
    this.version = options.version;
    this.length = options.length;
    this.hashes = options.hashes;
    this.unrecognised = options.unrecognised ?? {};
  }

  static fromJSON(value: unknown, path: string): MetaFile {
    const reader = ObjectReader.of(value, path);
    const version = reader.integer('version', { min: 1 });
    const length = reader.optionalInteger('length', { min: 0 });
    const hashesValue = reader.raw('hashes');
    const hashes = hashesValue === undefined ? undefined : readHashes(hashesValue, reader.field('hashes'));
    return new MetaFile({ version, length, hashes, unrecognised: reader.unrecognised() });
  }

  toJSON(): JsonObject {
    return {
      ...this.unrecognised,
      version: this.version,
      ...(this.length === undefined ? {} : { length: this.length }),
      ...(this.hashes === undefined ? {} : { hashes: writeHashes(this.hashes) }),
    };
  }

  /** TUF 5.5.2 / 5.6.2: downloaded metadata must match the pinned length and hashes, when given. */
  verifyBytes(bytes: Uint8Array, role: string): void {
    if (this.length !== undefined && bytes.byteLength !== this.length) {
      throw new ManifestError('STW_MANIFEST_LENGTH_MISMATCH', `${role} is ${bytes.byteLength} bytes, expected ${this.length}`, { details: { role } });
    }
    if (this.hashes !== undefined && !hashesMatch(bytes, this.hashes)) {
      throw new ManifestError('STW_MANIFEST_HASH_MISMATCH', `${role} does not match its pinned hashes`, { details: { role } });
    }
  }
}
