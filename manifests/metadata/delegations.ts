/** The `delegations` object of a targets role (TUF 4.5): keys and an ordered list of roles. */
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader, invalid } from '../json/object-reader.js';
import { pick, readKeyMap, writeKeyMap, type KeyMap } from './key-map.js';
import { DelegatedRole } from './delegated-role.js';
import type { PublicKey } from '../keys/public-key.js';

export class Delegations {
  readonly keys: KeyMap;
  /** In priority order: the search visits them in this order (TUF 5.6.7.2). */
  readonly roles: readonly DelegatedRole[];
  readonly unrecognised: JsonObject;

  constructor(options: { keys: KeyMap; roles: readonly DelegatedRole[]; unrecognised?: JsonObject }) {
    const names = new Set<string>();
    for (const role of options.roles) {
      if (names.has(role.name)) throw invalid('delegations.roles', `names ${role.name} twice`);
      names.add(role.name);
    }
    this.keys = options.keys;
    this.roles = options.roles;
    this.unrecognised = options.unrecognised ?? {};
  }

  static fromJSON(value: unknown, path: string): Delegations {
    const reader = ObjectReader.of(value, path);
    const keys = readKeyMap(reader.object('keys'));
    const roles = reader.array('roles').map((role, index) => DelegatedRole.fromJSON(role, `${reader.field('roles')}[${index}]`));
    return new Delegations({ keys, roles, unrecognised: reader.unrecognised() });
  }

  toJSON(): JsonObject {
    return { ...this.unrecognised, keys: writeKeyMap(this.keys), roles: this.roles.map((role) => role.toJSON()) };
  }

  role(name: string): DelegatedRole | undefined {
    return this.roles.find((role) => role.name === name);
  }

  /** The keys and threshold that sign the delegated role `name`. */
  authority(name: string): { keys: Map<string, PublicKey>; threshold: number } | undefined {
    const role = this.role(name);
    return role && { keys: pick(this.keys, role.keyIds), threshold: role.threshold };
  }
}
