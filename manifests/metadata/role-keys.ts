/**
 * A role's authorised keys and threshold, as root lists them for top-level roles
 * (TUF 4.3 ROLE) and delegations list them for delegated roles.
 */
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader } from '../json/object-reader.js';

export class RoleKeys {
  readonly keyIds: readonly string[];
  readonly threshold: number;
  readonly unrecognised: JsonObject;

  constructor(options: { keyIds: readonly string[]; threshold: number; unrecognised?: JsonObject }) {
    this.keyIds = options.keyIds;
    this.threshold = options.threshold;
    this.unrecognised = options.unrecognised ?? {};
  }

  static fromJSON(value: unknown, path: string): RoleKeys {
    const reader = ObjectReader.of(value, path);
    const { keyIds, threshold } = readKeyIdsAndThreshold(reader);
    return new RoleKeys({ keyIds, threshold, unrecognised: reader.unrecognised() });
  }

  toJSON(): JsonObject {
    return { ...this.unrecognised, keyids: [...this.keyIds], threshold: this.threshold };
  }
}

/** `keyids` (unique) and `threshold` (>= 1) from a reader that may hold more fields. */
export function readKeyIdsAndThreshold(reader: ObjectReader): { keyIds: string[]; threshold: number } {
  return { keyIds: reader.stringArray('keyids', { unique: true }), threshold: reader.integer('threshold', { min: 1 }) };
}
