/** The `keys` object of root and of delegations: key ID -> public key (TUF 4.3). */
import type { JsonObject } from '../json/json-value.js';
import type { ObjectReader } from '../json/object-reader.js';
import { PublicKey } from '../keys/public-key.js';

export type KeyMap = ReadonlyMap<string, PublicKey>;

export function readKeyMap(reader: ObjectReader): Map<string, PublicKey> {
  const keys = new Map<string, PublicKey>();
  for (const [keyId, value] of reader.entries()) keys.set(keyId, PublicKey.fromJSON(value, reader.field(keyId)));
  return keys;
}

export function writeKeyMap(keys: KeyMap): JsonObject {
  const result: JsonObject = {};
  for (const [keyId, key] of keys) result[keyId] = key.toJSON();
  return result;
}

/** The subset of `keys` named by `keyIds` (unknown IDs are left out: they can never count). */
export function pick(keys: KeyMap, keyIds: readonly string[]): Map<string, PublicKey> {
  const picked = new Map<string, PublicKey>();
  for (const keyId of keyIds) {
    const key = keys.get(keyId);
    if (key) picked.set(keyId, key);
  }
  return picked;
}
