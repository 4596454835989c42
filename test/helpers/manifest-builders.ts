// Test fixtures: small signed TUF documents built with manifests/ and fresh keys.
import {
  Delegations,
  DelegatedRole,
  generateKeyPair,
  Metadata,
  MetaFile,
  Root,
  RoleKeys,
  Snapshot,
  SPEC_VERSION,
  TargetFile,
  Targets,
  Timestamp,
  computeHashes,
  type GeneratedKeyPair,
  type PublicKey,
} from '../../manifests/index.js';

export const FAR_FUTURE = '2099-01-01T00:00:00Z';
export const NOW = new Date('2026-11-27T12:00:00Z');

let cachedRsa: GeneratedKeyPair | undefined;
/** One RSA key per test process (RSA generation is slow). */
export function rsaKey(): GeneratedKeyPair {
  cachedRsa ??= generateKeyPair('rsa', { rsaModulusLength: 2048 });
  return cachedRsa;
}

export function keyMap(...keys: PublicKey[]): Map<string, PublicKey> {
  return new Map(keys.map((key) => [key.keyId(), key]));
}

export function buildRoot(options: {
  version?: number;
  expires?: string;
  roleKeys: Record<'root' | 'targets' | 'snapshot' | 'timestamp', { keys: PublicKey[]; threshold: number }>;
}): Root {
  const all = Object.values(options.roleKeys).flatMap((role) => role.keys);
  const roles = new Map(
    (Object.entries(options.roleKeys) as ['root' | 'targets' | 'snapshot' | 'timestamp', { keys: PublicKey[]; threshold: number }][]).map(([name, role]) => [
      name,
      new RoleKeys({ keyIds: role.keys.map((key) => key.keyId()), threshold: role.threshold }),
    ]),
  );
  return new Root({ specVersion: SPEC_VERSION, version: options.version ?? 1, expires: options.expires ?? FAR_FUTURE, consistentSnapshot: true, keys: keyMap(...all), roles });
}

export function buildTargets(options: {
  version?: number;
  expires?: string;
  files?: Record<string, Uint8Array>;
  delegations?: { keys: PublicKey[]; roles: { name: string; keys: PublicKey[]; threshold?: number; paths?: string[]; terminating?: boolean }[] };
}): Targets {
  const targets = new Map<string, TargetFile>();
  for (const [path, bytes] of Object.entries(options.files ?? {})) targets.set(path, new TargetFile({ path, length: bytes.byteLength, hashes: computeHashes(bytes) }));
  const delegations =
    options.delegations &&
    new Delegations({
      keys: keyMap(...options.delegations.keys),
      roles: options.delegations.roles.map(
        (role) =>
          new DelegatedRole({ name: role.name, keyIds: role.keys.map((key) => key.keyId()), threshold: role.threshold ?? 1, terminating: role.terminating ?? false, paths: role.paths ?? [`${role.name}/*`] }),
      ),
    });
  return new Targets({ specVersion: SPEC_VERSION, version: options.version ?? 1, expires: options.expires ?? FAR_FUTURE, targets, delegations });
}

export function buildSnapshot(version: number, meta: Record<string, number>, expires = FAR_FUTURE): Snapshot {
  return new Snapshot({ specVersion: SPEC_VERSION, version, expires, meta: new Map(Object.entries(meta).map(([name, v]) => [name, new MetaFile({ version: v })])) });
}

export function buildTimestamp(version: number, snapshotVersion: number, expires = FAR_FUTURE): Timestamp {
  return new Timestamp({ specVersion: SPEC_VERSION, version, expires, snapshotMeta: new MetaFile({ version: snapshotVersion }) });
}

export async function signed<T extends Root | Targets | Snapshot | Timestamp>(signedPart: T, ...signers: GeneratedKeyPair[]): Promise<Metadata<T>> {
  return Metadata.create(signedPart).signAll(signers.map((pair) => pair.signer));
}
