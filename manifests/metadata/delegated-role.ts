/**
 * One delegation (TUF 4.5 DELEGATIONS "roles" entry): name, keys, threshold, whether the
 * search stops here (`terminating`), and which target paths it may sign for: `paths`
 * patterns or `path_hash_prefixes` (at most one of the two; neither means nothing).
 */
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader, invalid } from '../json/object-reader.js';
import { matchesHashPrefix, matchesPathPattern } from './path-pattern.js';
import { readKeyIdsAndThreshold } from './role-keys.js';

const HEX_PREFIX = /^[0-9a-f]*$/i;

export class DelegatedRole {
  readonly name: string;
  readonly keyIds: readonly string[];
  readonly threshold: number;
  readonly terminating: boolean;
  readonly paths: readonly string[] | undefined;
  readonly pathHashPrefixes: readonly string[] | undefined;
  readonly unrecognised: JsonObject;

  constructor(options: {
    name: string;
    keyIds: readonly string[];
    threshold: number;
    terminating: boolean;
    paths?: readonly string[] | undefined;
    pathHashPrefixes?: readonly string[] | undefined;
    unrecognised?: JsonObject;
  }) {
    if (options.paths !== undefined && options.pathHashPrefixes !== undefined) throw invalid(`delegation ${options.name}`, 'may not set both paths and path_hash_prefixes');
    this.name = options.name;
    this.keyIds = options.keyIds;
    this.threshold = options.threshold;
    this.terminating = options.terminating;
    this.paths = options.paths;
    this.pathHashPrefixes = options.pathHashPrefixes;
    this.unrecognised = options.unrecognised ?? {};
  }

  static fromJSON(value: unknown, path: string): DelegatedRole {
    const reader = ObjectReader.of(value, path);
    const name = reader.string('name', { nonEmpty: true });
    const { keyIds, threshold } = readKeyIdsAndThreshold(reader);
    const terminating = reader.boolean('terminating');
    const paths = reader.has('paths') ? reader.stringArray('paths') : (reader.raw('paths'), undefined);
    let pathHashPrefixes: string[] | undefined;
    if (reader.has('path_hash_prefixes')) {
      pathHashPrefixes = reader.stringArray('path_hash_prefixes');
      if (!pathHashPrefixes.every((prefix) => HEX_PREFIX.test(prefix))) throw invalid(reader.field('path_hash_prefixes'), 'must be hex');
    } else reader.raw('path_hash_prefixes');
    return new DelegatedRole({ name, keyIds, threshold, terminating, paths, pathHashPrefixes, unrecognised: reader.unrecognised() });
  }

  toJSON(): JsonObject {
    return {
      ...this.unrecognised,
      name: this.name,
      keyids: [...this.keyIds],
      threshold: this.threshold,
      terminating: this.terminating,
      ...(this.paths === undefined ? {} : { paths: [...this.paths] }),
      ...(this.pathHashPrefixes === undefined ? {} : { path_hash_prefixes: [...this.pathHashPrefixes] }),
    };
  }

  /** Whether this role is trusted for `targetPath` (TUF 5.6.7.2.1). */
  isDelegatedPath(targetPath: string): boolean {
    if (this.paths !== undefined) return this.paths.some((pattern) => matchesPathPattern(pattern, targetPath));
    if (this.pathHashPrefixes !== undefined) return matchesHashPrefix(this.pathHashPrefixes, targetPath);
    return false;
  }
}
