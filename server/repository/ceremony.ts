/**
 * Building the documents of the offline ceremonies (what the `steward repo` and `steward
 * vendor` / `release` commands sign on the key holder's machine). Pure: no keys are held
 * here; the caller signs the result with `Metadata.create(x).signAll(signers)`.
 *
 * @example
 * const root = buildRoot({ root: { keys: [k1, k2], threshold: 2 }, targets: ..., snapshot: ..., timestamp: ..., expires });
 */
import type {
  ReleaseInfo} from '../../manifests/index.js';
import {
  Delegations,
  DelegatedRole,
  Root,
  RoleKeys,
  SPEC_VERSION,
  TargetFile,
  Targets,
  formatExpires,
  type Hashes,
  type PublicKey,
  type TopLevelRole,
} from '../../manifests/index.js';

export interface RoleKeySpec {
  readonly keys: readonly PublicKey[];
  readonly threshold: number;
}

export function buildRoot(options: Record<TopLevelRole, RoleKeySpec> & { version?: number; expires: Date }): Root {
  const keys = new Map<string, PublicKey>();
  const roles = new Map<TopLevelRole, RoleKeys>();
  for (const role of ['root', 'targets', 'snapshot', 'timestamp'] as const) {
    const spec = options[role];
    for (const key of spec.keys) keys.set(key.keyId(), key);
    roles.set(role, new RoleKeys({ keyIds: spec.keys.map((key) => key.keyId()), threshold: spec.threshold }));
  }
  return new Root({ specVersion: SPEC_VERSION, version: options.version ?? 1, expires: formatExpires(options.expires), consistentSnapshot: true, keys, roles });
}

/** The next root: same as `current` with some roles' keys replaced, version + 1. */
export function rotateRoot(current: Root, changes: Partial<Record<TopLevelRole, RoleKeySpec>>, expires: Date): Root {
  const specs = {} as Record<TopLevelRole, RoleKeySpec>;
  for (const role of ['root', 'targets', 'snapshot', 'timestamp'] as const) {
    const authority = current.authority(role);
    specs[role] = changes[role] ?? { keys: [...authority.keys.values()], threshold: authority.threshold };
  }
  return buildRoot({ ...specs, version: current.version + 1, expires });
}

/** Top-level targets with `vendorId` delegated `<vendorId>/*` (added or re-keyed), version + 1. */
export function delegateToVendor(current: Targets | undefined, vendor: { vendorId: string } & RoleKeySpec, expires: Date): Targets {
  const keys = new Map(current?.delegations?.keys ?? []);
  for (const key of vendor.keys) keys.set(key.keyId(), key);
  const others = (current?.delegations?.roles ?? []).filter((role) => role.name !== vendor.vendorId);
  const role = new DelegatedRole({ name: vendor.vendorId, keyIds: vendor.keys.map((key) => key.keyId()), threshold: vendor.threshold, terminating: true, paths: [`${vendor.vendorId}/*`] });
  const roles = [...others, role];
  const used = new Set(roles.flatMap((delegated) => delegated.keyIds));
  for (const keyId of keys.keys()) if (!used.has(keyId)) keys.delete(keyId);
  return new Targets({
    specVersion: SPEC_VERSION,
    version: (current?.version ?? 0) + 1,
    expires: formatExpires(expires),
    targets: new Map(),
    delegations: new Delegations({ keys, roles }),
  });
}

/** A vendor role with one more release (or a release replaced at the same path), version + 1. */
export function addRelease(current: Targets | undefined, release: { path: string; length: number; hashes: Hashes; info: ReleaseInfo }, expires: Date): Targets {
  const targets = new Map(current?.targets ?? []);
  targets.set(release.path, new TargetFile({ path: release.path, length: release.length, hashes: release.hashes, custom: release.info.toCustom() }));
  return new Targets({ specVersion: SPEC_VERSION, version: (current?.version ?? 0) + 1, expires: formatExpires(expires), targets });
}
