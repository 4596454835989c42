/**
 * A fixture builder that writes and signs whole TUF repositories with `manifests/`, for any
 * suite that needs one (device SDK, server, fleet). Keys per role with thresholds,
 * delegations (paths, hash prefixes, terminating, several delegators), target files, root and
 * key rotation, consistent snapshots or not; and the means to attack a client: forge any role
 * with any keys, freeze the served repository, replay old versions, and (through the server)
 * answer any path with arbitrary bytes, a status or an endless body.
 *
 * Layout of the served files (paths relative to the server root):
 *   metadata/N.root.json, metadata/root.json, metadata/timestamp.json,
 *   metadata/N.snapshot.json | metadata/snapshot.json,
 *   metadata/N.<role>.json   | metadata/<role>.json         (role names unencoded)
 *   targets/<dir>/<sha256>.<name> and targets/<dir>/<sha512>.<name> | targets/<path>
 *
 * @example
 * const repo = await TufRepository.create({ consistentSnapshot: true });
 * repo.delegate('targets', 'acme', { paths: ['acme/*'] });
 * repo.addTarget('acme/fw-1.0.bin', firmware, { role: 'acme' });
 * await repo.publish();
 * const server = await repo.serve();          // server.metadataUrl, server.targetsUrl
 * const trustedRoot = repo.metadata('root', 1);
 * await server.close();
 */
import {
  DelegatedRole,
  Delegations,
  Metadata,
  MetaFile,
  Root,
  RoleKeys,
  SPEC_VERSION,
  Snapshot,
  TargetFile,
  Targets,
  Timestamp,
  canonicalBytes,
  computeHashes,
  formatExpires,
  type JsonObject,
  type PublicKey,
  type Signer,
  type SupportedKeyType,
  type TopLevelRole,
} from '../../manifests/index.js';
import { Keyring } from './tuf-keys.js';
import { TufServer } from './tuf-server.js';

export type LifetimeKind = TopLevelRole | 'delegated';

export interface TufRepositoryOptions {
  /** TUF 4.3 consistent_snapshot. Default true. */
  readonly consistentSnapshot?: boolean;
  readonly keyType?: SupportedKeyType;
  /** Keys and threshold of each top-level role. Default one key, threshold 1. */
  readonly roles?: Partial<Record<TopLevelRole, { readonly count?: number; readonly threshold?: number }>>;
  /** Timestamp pins the snapshot's length and hashes, not only its version. Default true. */
  readonly timestampPinsHashes?: boolean;
  /** Snapshot pins each targets role's length and hashes, not only its version. Default false. */
  readonly snapshotPinsHashes?: boolean;
  /** The clock expiry dates are computed from. Default: system time. */
  readonly now?: () => Date;
  /** Seconds from publication to expiry, per kind of role. */
  readonly lifetimes?: Partial<Record<LifetimeKind, number>>;
}

export interface DelegationOptions {
  /** Default `[<name>/*]` unless `pathHashPrefixes` is given. */
  readonly paths?: readonly string[];
  readonly pathHashPrefixes?: readonly string[];
  readonly terminating?: boolean;
  /** Keys listed in this delegation. Default: the role's keyring, made on first use. */
  readonly keyring?: Keyring;
}

interface DelegationEntry {
  readonly name: string;
  readonly keyring: Keyring;
  readonly terminating: boolean;
  readonly paths: readonly string[] | undefined;
  readonly pathHashPrefixes: readonly string[] | undefined;
}

interface TargetsRoleState {
  version: number;
  dirty: boolean;
  readonly targets: Map<string, TargetFile>;
  readonly delegations: DelegationEntry[];
}

const DEFAULT_LIFETIMES: Record<LifetimeKind, number> = {
  root: 365 * 86_400,
  targets: 90 * 86_400,
  delegated: 90 * 86_400,
  snapshot: 7 * 86_400,
  timestamp: 86_400,
};

export class TufRepository {
  readonly consistentSnapshot: boolean;
  readonly #options: TufRepositoryOptions;
  readonly #now: () => Date;
  readonly #keyrings = new Map<string, Keyring>();
  readonly #signersOverride = new Map<string, readonly Signer[]>();
  readonly #roles = new Map<string, TargetsRoleState>();
  readonly #expires = new Map<string, Date>();
  readonly #history = new Map<string, Map<number, Uint8Array>>();
  readonly #files = new Map<string, Uint8Array>();
  readonly #pendingTargets: [TargetFile, Uint8Array][] = [];
  #frozen: Map<string, Uint8Array> | undefined;
  #rootVersion = 0;
  #rootDirty = true;
  /** The root keyring of the latest published root: it must sign the next one too. */
  #rootSignedBy: Keyring | undefined;
  #snapshotVersion = 0;
  #timestampVersion = 0;

  private constructor(options: TufRepositoryOptions) {
    this.#options = options;
    this.consistentSnapshot = options.consistentSnapshot ?? true;
    this.#now = options.now ?? (() => new Date());
    for (const role of ['root', 'targets', 'snapshot', 'timestamp'] as const) {
      const spec = options.roles?.[role] ?? {};
      this.#keyrings.set(role, Keyring.generate({ count: spec.count, threshold: spec.threshold, type: options.keyType }));
    }
    this.#roles.set('targets', { version: 0, dirty: true, targets: new Map(), delegations: [] });
  }

  /** A repository with version 1 of every top-level role published. */
  static async create(options: TufRepositoryOptions = {}): Promise<TufRepository> {
    const repository = new TufRepository(options);
    await repository.publish();
    return repository;
  }

  /** The current keyring of a role (top-level or delegated). */
  keyring(role: string): Keyring {
    const keyring = this.#keyrings.get(role);
    if (keyring === undefined) throw new Error(`no keyring for ${role}`);
    return keyring;
  }

  /** Add (or replace) a target in `role` (default `targets`); it is served from the next publish. */
  addTarget(path: string, content: Uint8Array | string, options: { role?: string; custom?: JsonObject } = {}): TargetFile {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    const state = this.#role(options.role ?? 'targets');
    const target = new TargetFile({ path, length: bytes.byteLength, hashes: computeHashes(bytes), custom: options.custom });
    state.targets.set(path, target);
    state.dirty = true;
    this.#pendingTargets.push([target, bytes]);
    return target;
  }

  removeTarget(path: string, role = 'targets'): void {
    const state = this.#role(role);
    state.targets.delete(path);
    state.dirty = true;
  }

  /** `delegator` delegates `name` (appended to its list, or replacing an entry of that name). */
  delegate(delegator: string, name: string, options: DelegationOptions = {}): Keyring {
    const parent = this.#role(delegator);
    let keyring = options.keyring ?? this.#keyrings.get(name);
    if (keyring === undefined) keyring = Keyring.generate({ type: this.#options.keyType });
    if (!this.#keyrings.has(name)) this.#keyrings.set(name, keyring);
    const paths = options.paths ?? (options.pathHashPrefixes === undefined ? [`${name}/*`] : undefined);
    const entry: DelegationEntry = { name, keyring, terminating: options.terminating ?? false, paths, pathHashPrefixes: options.pathHashPrefixes };
    const index = parent.delegations.findIndex((existing) => existing.name === name);
    if (index === -1) parent.delegations.push(entry);
    else parent.delegations[index] = entry;
    parent.dirty = true;
    if (!this.#roles.has(name)) this.#roles.set(name, { version: 0, dirty: true, targets: new Map(), delegations: [] });
    return keyring;
  }

  /**
   * New keys for `role`. A top-level rotation changes root (the next root is signed by the old
   * and the new root keys); a delegated one changes every delegation to it.
   */
  rotateKeys(role: string, options: { count?: number; threshold?: number; keyring?: Keyring } = {}): Keyring {
    const previous = this.keyring(role);
    const keyring = options.keyring ?? Keyring.generate({ count: options.count, threshold: options.threshold, type: this.#options.keyType });
    this.#keyrings.set(role, keyring);
    if (isTopLevel(role)) this.#rootDirty = true;
    else {
      for (const state of this.#roles.values()) {
        state.delegations.forEach((entry, index) => {
          if (entry.name !== role || entry.keyring !== previous) return;
          state.delegations[index] = { ...entry, keyring };
          state.dirty = true;
        });
      }
    }
    if (role !== 'snapshot' && role !== 'timestamp') this.#markDirty(role);
    return keyring;
  }

  /** Sign `role` from now on with `signers` instead of its keyring (e.g. a rogue key). */
  signWith(role: string, signers: readonly Signer[] | undefined): void {
    if (signers === undefined) this.#signersOverride.delete(role);
    else this.#signersOverride.set(role, signers);
    this.#markDirty(role);
  }

  /** Publish a new root version at the next publish, keys unchanged. */
  bumpRoot(): void {
    this.#rootDirty = true;
  }

  /** Fix the `expires` of `role` for the next publications (undefined: back to the lifetime). */
  setExpires(role: string, expires: Date | undefined): void {
    if (expires === undefined) this.#expires.delete(role);
    else this.#expires.set(role, expires);
    if (role !== 'snapshot' && role !== 'timestamp') this.#markDirty(role);
  }

  /** Sign and serve new versions: changed roles, then a new snapshot and a new timestamp. */
  async publish(): Promise<void> {
    for (const [target, bytes] of this.#pendingTargets.splice(0)) this.#writeTarget(target, bytes);
    if (this.#rootDirty) await this.#publishRoot();
    for (const [name, state] of this.#roles) {
      if (state.dirty) await this.#publishTargets(name, state);
    }
    await this.#publishSnapshot();
    await this.#publishTimestamp();
  }

  /** Keep serving what is served now, whatever is published next (a frozen mirror). */
  freeze(): void {
    this.#frozen = new Map(this.#files);
  }

  unfreeze(): void {
    this.#frozen = undefined;
  }

  /** The latest published version of `role` (0 when never published). */
  version(role: string): number {
    if (role === 'root') return this.#rootVersion;
    if (role === 'snapshot') return this.#snapshotVersion;
    if (role === 'timestamp') return this.#timestampVersion;
    return this.#roles.get(role)?.version ?? 0;
  }

  /** The published bytes of `role` at `version` (default: latest). */
  metadata(role: string, version = this.version(role)): Uint8Array {
    const bytes = this.#history.get(role)?.get(version);
    if (bytes === undefined) throw new Error(`${role} version ${version} was never published`);
    return bytes;
  }

  /** Where a client asks for `role` at `version`, relative to the metadata base URL (unencoded). */
  metadataPath(role: string, version = this.version(role)): string {
    if (role === 'root') return `${version}.root.json`;
    if (role === 'timestamp') return 'timestamp.json';
    return this.consistentSnapshot ? `${version}.${role}.json` : `${role}.json`;
  }

  /** Where a client asks for a target, relative to the targets base URL. */
  targetPath(path: string, role = 'targets'): string {
    const target = this.targetInfo(path, role);
    if (!this.consistentSnapshot) return path;
    const slash = path.lastIndexOf('/');
    return `${path.slice(0, slash + 1)}${target.hashes.sha256}.${path.slice(slash + 1)}`;
  }

  targetInfo(path: string, role = 'targets'): TargetFile {
    const target = this.#role(role).targets.get(path);
    if (target === undefined) throw new Error(`${role} has no target ${path}`);
    return target;
  }

  /** The file served at `path` (e.g. `metadata/timestamp.json`), honouring a freeze. */
  lookup(path: string): Uint8Array | undefined {
    return (this.#frozen ?? this.#files).get(path);
  }

  /** Every served file by path. */
  files(): ReadonlyMap<string, Uint8Array> {
    return this.#frozen ?? this.#files;
  }

  /**
   * Bytes of `role` as an attacker would make them: the latest published `signed` part as
   * JSON, changed by `mutate`, signed by `signers` (default: the role's own keyring).
   */
  async forge(role: string, mutate: (signed: JsonObject) => void, signers?: readonly Signer[]): Promise<Uint8Array> {
    const envelope = JSON.parse(Buffer.from(this.metadata(role)).toString('utf8')) as { signed: JsonObject };
    const signed = envelope.signed;
    mutate(signed);
    const data = canonicalBytes(signed);
    const signatures = [];
    for (const signer of signers ?? this.keyring(role).signers) signatures.push({ keyid: signer.publicKey.keyId(), sig: await signer.sign(data) });
    return canonicalBytes({ signatures, signed });
  }

  /** Serve this repository over HTTP on 127.0.0.1 until `close()`. */
  serve(): Promise<TufServer> {
    return TufServer.start((path) => this.lookup(path));
  }

  #role(name: string): TargetsRoleState {
    const state = this.#roles.get(name);
    if (state === undefined) throw new Error(`no targets role ${name}`);
    return state;
  }

  #markDirty(role: string): void {
    if (role === 'root') this.#rootDirty = true;
    const state = this.#roles.get(role);
    if (state !== undefined) state.dirty = true;
  }

  #expiresOf(role: string, kind: LifetimeKind): string {
    const fixed = this.#expires.get(role);
    if (fixed !== undefined) return formatExpires(fixed);
    const seconds = this.#options.lifetimes?.[kind] ?? DEFAULT_LIFETIMES[kind];
    return formatExpires(new Date(this.#now().getTime() + seconds * 1000));
  }

  #signersOf(role: string): readonly Signer[] {
    return this.#signersOverride.get(role) ?? this.keyring(role).signers;
  }

  async #publishRoot(): Promise<void> {
    const keys = new Map<string, PublicKey>();
    const roles = new Map<TopLevelRole, RoleKeys>();
    for (const role of ['root', 'targets', 'snapshot', 'timestamp'] as const) {
      const keyring = this.keyring(role);
      for (const key of keyring.publicKeys) keys.set(key.keyId(), key);
      roles.set(role, new RoleKeys({ keyIds: keyring.keyIds, threshold: keyring.threshold }));
    }
    this.#rootVersion += 1;
    const root = new Root({ specVersion: SPEC_VERSION, version: this.#rootVersion, expires: this.#expiresOf('root', 'root'), consistentSnapshot: this.consistentSnapshot, keys, roles });
    // TUF 5.3.4: a new root carries a threshold of the previous root keys and of its own.
    const current = this.#signersOf('root');
    const previous = this.#signersOverride.has('root') ? [] : (this.#rootSignedBy?.signers ?? []);
    const signers = [...previous.filter((signer) => !current.includes(signer)), ...current];
    const bytes = (await Metadata.create(root).signAll(signers)).toBytes();
    this.#rootSignedBy = this.keyring('root');
    this.#rootDirty = false;
    this.#record('root', this.#rootVersion, bytes);
    this.#files.set('metadata/root.json', bytes);
  }

  async #publishTargets(name: string, state: TargetsRoleState): Promise<void> {
    state.version += 1;
    state.dirty = false;
    let delegations: Delegations | undefined;
    if (state.delegations.length > 0) {
      const keys = new Map<string, PublicKey>();
      for (const entry of state.delegations) for (const key of entry.keyring.publicKeys) keys.set(key.keyId(), key);
      const roles = state.delegations.map(
        (entry) =>
          new DelegatedRole({
            name: entry.name,
            keyIds: entry.keyring.keyIds,
            threshold: entry.keyring.threshold,
            terminating: entry.terminating,
            paths: entry.paths,
            pathHashPrefixes: entry.pathHashPrefixes,
          }),
      );
      delegations = new Delegations({ keys, roles });
    }
    const kind = name === 'targets' ? 'targets' : 'delegated';
    const targets = new Targets({ specVersion: SPEC_VERSION, version: state.version, expires: this.#expiresOf(name, kind), targets: new Map(state.targets), delegations });
    const bytes = (await Metadata.create(targets).signAll(this.#signersOf(name))).toBytes();
    this.#record(name, state.version, bytes);
  }

  async #publishSnapshot(): Promise<void> {
    this.#snapshotVersion += 1;
    const meta = new Map<string, MetaFile>();
    for (const [name, state] of this.#roles) {
      if (state.version === 0) continue;
      const bytes = this.metadata(name, state.version);
      meta.set(`${name}.json`, this.#options.snapshotPinsHashes === true ? pinned(state.version, bytes) : new MetaFile({ version: state.version }));
    }
    const snapshot = new Snapshot({ specVersion: SPEC_VERSION, version: this.#snapshotVersion, expires: this.#expiresOf('snapshot', 'snapshot'), meta });
    this.#record('snapshot', this.#snapshotVersion, (await Metadata.create(snapshot).signAll(this.#signersOf('snapshot'))).toBytes());
  }

  async #publishTimestamp(): Promise<void> {
    this.#timestampVersion += 1;
    const snapshotBytes = this.metadata('snapshot');
    const snapshotMeta =
      this.#options.timestampPinsHashes === false ? new MetaFile({ version: this.#snapshotVersion }) : pinned(this.#snapshotVersion, snapshotBytes);
    const timestamp = new Timestamp({ specVersion: SPEC_VERSION, version: this.#timestampVersion, expires: this.#expiresOf('timestamp', 'timestamp'), snapshotMeta });
    this.#record('timestamp', this.#timestampVersion, (await Metadata.create(timestamp).signAll(this.#signersOf('timestamp'))).toBytes());
  }

  #record(role: string, version: number, bytes: Uint8Array): void {
    let versions = this.#history.get(role);
    if (versions === undefined) this.#history.set(role, (versions = new Map()));
    versions.set(version, bytes);
    this.#files.set(`metadata/${this.metadataPath(role, version)}`, bytes);
  }

  #writeTarget(target: TargetFile, bytes: Uint8Array): void {
    if (!this.consistentSnapshot) {
      this.#files.set(`targets/${target.path}`, bytes);
      return;
    }
    const slash = target.path.lastIndexOf('/');
    for (const hash of Object.values(target.hashes)) {
      this.#files.set(`targets/${target.path.slice(0, slash + 1)}${hash}.${target.path.slice(slash + 1)}`, bytes);
    }
  }
}

function isTopLevel(role: string): role is TopLevelRole {
  return role === 'root' || role === 'targets' || role === 'snapshot' || role === 'timestamp';
}

function pinned(version: number, bytes: Uint8Array): MetaFile {
  const { sha256, sha512 } = computeHashes(bytes);
  return new MetaFile({ version, length: bytes.byteLength, hashes: { sha256, sha512 } });
}
