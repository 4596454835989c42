/**
 * The timestamp role (TUF 4.6 "timestamp.json"): short-lived, it pins the current snapshot.
 */
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader, invalid } from '../json/object-reader.js';
import { MetaFile } from './meta-file.js';
import { readSignedFields, writeSignedFields, type SignedFields } from './signed-fields.js';

export class Timestamp implements SignedFields {
  readonly type = 'timestamp' as const;
  readonly specVersion: string;
  readonly version: number;
  readonly expires: string;
  readonly snapshotMeta: MetaFile;
  readonly unrecognised: JsonObject;
  readonly metaUnrecognised: JsonObject;

  constructor(options: SignedFields & { snapshotMeta: MetaFile; unrecognised?: JsonObject; metaUnrecognised?: JsonObject }) {
    this.specVersion = options.specVersion;
    this.version = options.version;
    this.expires = options.expires;
    this.snapshotMeta = options.snapshotMeta;
    this.unrecognised = options.unrecognised ?? {};
    this.metaUnrecognised = options.metaUnrecognised ?? {};
  }

  static fromJSON(value: unknown, path = 'signed'): Timestamp {
    const reader = ObjectReader.of(value, path);
    const fields = readSignedFields(reader, 'timestamp');
    const metaReader = reader.object('meta');
    if (!metaReader.has('snapshot.json')) throw invalid(metaReader.field('snapshot.json'), 'is required');
    const snapshotMeta = MetaFile.fromJSON(metaReader.raw('snapshot.json'), metaReader.field('snapshot.json'));
    return new Timestamp({ ...fields, snapshotMeta, unrecognised: reader.unrecognised(), metaUnrecognised: metaReader.unrecognised() });
  }

  toJSON(): JsonObject {
    return {
      ...this.unrecognised,
      ...writeSignedFields('timestamp', this),
      meta: { ...this.metaUnrecognised, 'snapshot.json': this.snapshotMeta.toJSON() },
    };
  }
}
