/**
 * The snapshot role (TUF 4.4 "snapshot.json"): the version (and optionally length and hashes)
 * of targets.json and of every delegated role, so that no mix of versions can be served.
 */
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader } from '../json/object-reader.js';
import { MetaFile } from './meta-file.js';
import { readSignedFields, writeSignedFields, type SignedFields } from './signed-fields.js';

export class Snapshot implements SignedFields {
  readonly type = 'snapshot' as const;
  readonly specVersion: string;
  readonly version: number;
  readonly expires: string;
  /** Keyed by file name, e.g. `targets.json`, `acme.json`. */
  readonly meta: ReadonlyMap<string, MetaFile>;
  readonly unrecognised: JsonObject;

  constructor(options: SignedFields & { meta: ReadonlyMap<string, MetaFile>; unrecognised?: JsonObject }) {
    this.specVersion = options.specVersion;
    this.version = options.version;
    this.expires = options.expires;
    this.meta = options.meta;
    this.unrecognised = options.unrecognised ?? {};
  }

  static fromJSON(value: unknown, path = 'signed'): Snapshot {
    const reader = ObjectReader.of(value, path);
    const fields = readSignedFields(reader, 'snapshot');
    const metaReader = reader.object('meta');
    const meta = new Map<string, MetaFile>();
    for (const [name, entry] of metaReader.entries()) meta.set(name, MetaFile.fromJSON(entry, metaReader.field(name)));
    return new Snapshot({ ...fields, meta, unrecognised: reader.unrecognised() });
  }

  toJSON(): JsonObject {
    const meta: JsonObject = {};
    for (const [name, file] of this.meta) meta[name] = file.toJSON();
    return { ...this.unrecognised, ...writeSignedFields('snapshot', this), meta };
  }

  /** The pinned entry for a role name (`targets`, or a delegated role). */
  roleMeta(role: string): MetaFile | undefined {
    return this.meta.get(`${role}.json`);
  }
}
