/**
 * The key options of `repo root create` and `repo root rotate`: per top-level role, the
 * public key files and the threshold (TUF 4.3 root `roles`). Root and targets may have
 * several keys and a threshold; snapshot and timestamp are the server's online keys (one
 * each, threshold 1), read from a key file or from `steward keys online` output.
 */
import { TOP_LEVEL_ROLES, type PublicKey, type Root, type TopLevelRole } from '../../../manifests/index.js';
import type { RoleKeySpec } from '../../repository/ceremony.js';
import { usageError } from '../cli-error.js';
import type { CommandArgs } from '../command-args.js';
import type { OptionSpec } from '../command.js';
import { readPublicKey } from '../key-files.js';

export function rootKeyOptions(required: boolean): Record<string, OptionSpec> {
  return {
    'root-key': { kind: 'strings', value: 'PUB.json', description: 'a root public key', required },
    'root-threshold': { kind: 'string', value: 'N', description: 'root signatures required (default 1)' },
    'targets-key': { kind: 'strings', value: 'PUB.json', description: 'a top-level targets public key', required },
    'targets-threshold': { kind: 'string', value: 'N', description: 'targets signatures required (default 1)' },
    'snapshot-key': { kind: 'string', value: 'PUB.json', description: "the server's snapshot key (a key file or `steward keys online` output)", required },
    'timestamp-key': { kind: 'string', value: 'PUB.json', description: "the server's timestamp key (likewise)", required },
  };
}

/**
 * The keys and threshold given for `role`, or undefined when neither was given. When only
 * one of the two is given, the other comes from `current` (rotation).
 */
export async function roleKeysFrom(args: CommandArgs, role: TopLevelRole, current?: RoleKeySpec): Promise<RoleKeySpec | undefined> {
  const online = role === 'snapshot' || role === 'timestamp';
  const files = online ? [args.optionalString(`${role}-key`)].filter((file): file is string => file !== undefined) : args.strings(`${role}-key`);
  const threshold = online ? undefined : args.optionalInteger(`${role}-threshold`, { min: 1 });
  if (files.length === 0 && threshold === undefined) return undefined;

  const keys: PublicKey[] = [];
  for (const file of files) keys.push(await readPublicKey(file, role));
  const ids = new Set(keys.map((key) => key.keyId()));
  if (ids.size !== keys.length) throw usageError(`--${role}-key lists one key twice`);
  const spec = {
    keys: keys.length > 0 ? keys : [...(current?.keys ?? [])],
    threshold: threshold ?? (online ? 1 : (current?.threshold ?? 1)),
  };
  if (spec.keys.length === 0) throw usageError(`--${role}-key is required`);
  if (spec.threshold > spec.keys.length) throw usageError(`--${role}-threshold ${spec.threshold} is more than the ${spec.keys.length} ${role} key(s)`);
  return spec;
}

/** One line per role for the summary a key holder reads before signing. */
export function describeRoot(root: Root): string[] {
  return TOP_LEVEL_ROLES.map((role) => {
    const { keys, threshold } = root.authority(role);
    return `  ${role.padEnd(9)} threshold ${threshold} of ${keys.size}: ${[...keys.keys()].join(', ')}`;
  });
}
