/**
 * The root role (TUF 4.3 "root.json"): the keys and thresholds of the four top-level roles,
 * and whether the repository uses consistent snapshots.
 *
 * @example
 * const root = Root.fromJSON(envelope.signed);
 * root.roles.get('timestamp')?.threshold;
 */
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader, invalid } from '../json/object-reader.js';
import { pick, readKeyMap, writeKeyMap, type KeyMap } from './key-map.js';
import { RoleKeys } from './role-keys.js';
import { readSignedFields, writeSignedFields, type SignedFields } from './signed-fields.js';

export const TOP_LEVEL_ROLES = ['root', 'targets', 'snapshot', 'timestamp'] as const;
export type TopLevelRole = (typeof TOP_LEVEL_ROLES)[number];

export class Root implements SignedFields {
  readonly type = 'root' as const;
  readonly specVersion: string;
  readonly version: number;
  readonly expires: string;
  /** `consistent_snapshot` as written; absent (older writers) reads as false. */
  readonly consistentSnapshot: boolean | undefined;
  readonly keys: KeyMap;
  readonly roles: ReadonlyMap<TopLevelRole, RoleKeys>;
  readonly unrecognised: JsonObject;
  readonly rolesUnrecognised: JsonObject;

  constructor(options: SignedFields & {
    consistentSnapshot: boolean | undefined;
    keys: KeyMap;
    roles: ReadonlyMap<TopLevelRole, RoleKeys>;
    unrecognised?: JsonObject;
    rolesUnrecognised?: JsonObject;
  }) {
    this.specVersion = options.specVersion;
    this.version = options.version;
    this.expires = options.expires;
    this.consistentSnapshot = options.consistentSnapshot;
    this.keys = options.keys;
    this.roles = options.roles;
    this.unrecognised = options.unrecognised ?? {};
    this.rolesUnrecognised = options.rolesUnrecognised ?? {};
  }

  static fromJSON(value: unknown, path = 'signed'): Root {
    const reader = ObjectReader.of(value, path);
    const fields = readSignedFields(reader, 'root');
    // TUF 4.3: consistent_snapshot; older writers omitted it. Kept as written so bytes round-trip.
    const consistentSnapshot = reader.optionalBoolean('consistent_snapshot');
    const keys = readKeyMap(reader.object('keys'));
    const rolesReader = reader.object('roles');
    const roles = new Map<TopLevelRole, RoleKeys>();
    for (const name of TOP_LEVEL_ROLES) {
      if (!rolesReader.has(name)) throw invalid(rolesReader.field(name), 'is required');
      roles.set(name, RoleKeys.fromJSON(rolesReader.raw(name), rolesReader.field(name)));
    }
    return new Root({ ...fields, consistentSnapshot, keys, roles, unrecognised: reader.unrecognised(), rolesUnrecognised: rolesReader.unrecognised() });
  }

  toJSON(): JsonObject {
    const roles: JsonObject = { ...this.rolesUnrecognised };
    for (const [name, role] of this.roles) roles[name] = role.toJSON();
    return {
      ...this.unrecognised,
      ...writeSignedFields('root', this),
      ...(this.consistentSnapshot === undefined ? {} : { consistent_snapshot: this.consistentSnapshot }),
      keys: writeKeyMap(this.keys),
      roles,
    };
  }

  /** TUF 5.x: fetch VERSION.role.json and HASH.target names when true. */
  get usesConsistentSnapshots(): boolean {
    return this.consistentSnapshot === true;
  }

  /** The keys and threshold that sign `role`, resolved to public keys. */
  authority(role: TopLevelRole): { keys: KeyMap; threshold: number } {
    const roleKeys = this.roles.get(role);
    if (!roleKeys) throw invalid(`root.roles.${role}`, 'is required');
    return { keys: pick(this.keys, roleKeys.keyIds), threshold: roleKeys.threshold };
  }
}
