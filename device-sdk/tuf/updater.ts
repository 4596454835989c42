/**
 * The TUF client: the detailed client workflow of the TUF specification (5.1 - 5.7) over two
 * small seams, a `Fetcher` (network) and a `MetadataStore` (trusted metadata).
 *
 *   refresh()
 *     5.1  fix the reference time (every expiry check of this update uses it)
 *     5.2  load the trusted root from the store
 *     5.3  walk N+1.root.json, N+2.root.json, ... (at most `maxRootRotations`), each signed by
 *          a threshold of the old and of the new root keys, persisting the last; it must not
 *          have expired; if the timestamp or snapshot keys changed, forget the trusted
 *          timestamp and snapshot (fast-forward recovery)
 *     5.4  timestamp.json: signatures, no rollback of it or of the snapshot it pins, not expired
 *     5.5  snapshot: pinned length/hashes/version, signatures, no targets role removed or
 *          rolled back, not expired (a stored snapshot that is exactly the pinned one is reused)
 *     5.6  targets: pinned length/hashes/version, signatures, not expired (reused likewise)
 *   getTargetInfo(path)
 *     5.6.7 pre-order depth-first search of delegations; each delegated role is verified with
 *          the keys of the delegator on the current search path (verified roles are cached per
 *          (delegator, role), never per role alone)
 *   downloadTarget(target)
 *     5.7  HASH.NAME with consistent snapshots; streamed, hashed, length-capped, renamed into
 *          place only once verified; skipped when the destination already matches
 *
 * Every download is capped (config, or the length a referring role pins). Requests are made
 * one at a time, in workflow order. With several base URLs, each file is taken from the first
 * mirror whose bytes pass every check. Store changes are kept in memory for the operation and
 * committed together at its end, in workflow order (persist-queue.ts); an operation returns
 * only once they are durable. One operation at a time per updater: await each call before
 * the next.
 *
 * @example
 * const updater = new Updater({
 *   metadataUrl: 'https://tuf.example/metadata',
 *   targetUrl: 'https://tuf.example/targets',
 *   store: new FsMetadataStore('/var/steward/tuf'),
 * });
 * await updater.refresh();
 * const target = await updater.getTargetInfo('acme/t100-fw-2.1.0.bin');
 * if (target) await updater.downloadTarget(target, '/var/steward/downloads/fw.bin');
 */
import type { DelegatedRole, JsonLimits, Metadata, MetaFile, Root, Snapshot, TargetFile, Targets, Timestamp } from '../../manifests/index.js';
import { ArtifactDownloader, type DownloadResult } from '../download/index.js';
import { DeviceError } from '../errors.js';
import type { Fetcher } from '../fetch/fetcher.js';
import { NodeHttpFetcher } from '../fetch/node-http-fetcher.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { defaultMaxLength, resolveUpdaterConfig, type UpdaterConfig } from './config.js';
import { searchDelegations, type FoundTarget } from './delegation-search.js';
import { stillTrusted } from './local-metadata.js';
import { PersistQueue } from './persist-queue.js';
import { SignatureCache } from './signature-check.js';
import { fetchBounded, fromMirrors, isNotFound, joinUrl, mostTelling } from './metadata-fetch.js';
import { encodeRoleName, isTopLevelRoleName } from './role-name.js';
import { expectedArtifact, targetFilePath, targetUrlPath } from './target-location.js';
import { assertRootFresh, roleKeysChanged, verifyNextRoot, verifyTrustedRoot } from './verify-root.js';
import { verifySnapshot } from './verify-snapshot.js';
import { verifyTargets, type TargetsCheck } from './verify-targets.js';
import { verifyTimestamp } from './verify-timestamp.js';

export interface UpdaterOptions {
  /** Base URL of the metadata; several are mirrors, tried in order for each file. */
  readonly metadataUrl: string | readonly string[];
  /** Base URL(s) of the targets, for `downloadTarget` without an explicit base. */
  readonly targetUrl?: string | readonly string[];
  /** Directory for `downloadTarget` without an explicit destination. */
  readonly targetDir?: string;
  readonly store: MetadataStore;
  /** Default: `new NodeHttpFetcher()` (node:http; `HttpFetcher` is the same on global fetch). */
  readonly fetcher?: Fetcher;
  /** Default: an `ArtifactDownloader` on the same fetcher. */
  readonly downloader?: ArtifactDownloader;
  readonly config?: Partial<UpdaterConfig>;
}

/** The versions trusted after a refresh. */
export interface RefreshResult {
  readonly root: number;
  readonly timestamp: number;
  readonly snapshot: number;
  readonly targets: number;
  /** New root versions accepted by this refresh. */
  readonly rootRotations: number;
  /** The reference time of this update (TUF 5.1). */
  readonly referenceTime: Date;
}

/** What one refresh established; delegated roles are added as searches verify them. */
interface TrustedSet {
  readonly now: Date;
  readonly root: Metadata<Root>;
  readonly timestamp: Metadata<Timestamp>;
  readonly snapshot: Metadata<Snapshot>;
  readonly targets: Metadata<Targets>;
  /** Verified delegated roles keyed by `delegator \0 role`. */
  readonly delegated: Map<string, Metadata<Targets>>;
}

interface Fetched<T> {
  readonly value: T;
  readonly bytes: Buffer;
}

export class Updater {
  readonly #metadataBases: readonly string[];
  readonly #targetBases: readonly string[];
  readonly #targetDir: string | undefined;
  readonly #store: MetadataStore;
  readonly #fetcher: Fetcher;
  readonly #downloader: ArtifactDownloader;
  readonly #config: UpdaterConfig;
  readonly #limits: Partial<JsonLimits>;
  /** Bytes already verified under the same authority by this updater (see signature-check.ts). */
  readonly #signatures: SignatureCache;
  #trusted: TrustedSet | undefined;

  constructor(options: UpdaterOptions) {
    this.#metadataBases = toList(options.metadataUrl);
    if (this.#metadataBases.length === 0) throw new DeviceError('STW_DEVICE_USAGE', 'at least one metadata URL is required');
    this.#targetBases = toList(options.targetUrl ?? []);
    this.#targetDir = options.targetDir;
    this.#store = options.store;
    this.#fetcher = options.fetcher ?? new NodeHttpFetcher();
    this.#downloader = options.downloader ?? new ArtifactDownloader(this.#fetcher);
    this.#config = resolveUpdaterConfig(options.config);
    // Downloads are already capped; parsing only bounds the nesting.
    this.#limits = { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth: this.#config.maxJsonDepth };
    this.#signatures = new SignatureCache(this.#limits);
  }

  /** TUF 5.1 - 5.6.6: bring root, timestamp, snapshot and top-level targets up to date. */
  async refresh(): Promise<RefreshResult> {
    this.#trusted = undefined;
    const persist = new PersistQueue(this.#store);
    const trusted = await settle(persist, () => this.#refresh(persist));
    this.#trusted = trusted;
    const { root, timestamp, snapshot, targets, now, rotations } = trusted;
    return {
      root: root.signed.version,
      timestamp: timestamp.signed.version,
      snapshot: snapshot.signed.version,
      targets: targets.signed.version,
      rootRotations: rotations,
      referenceTime: now,
    };
  }

  async #refresh(persist: PersistQueue): Promise<TrustedSet & { readonly rotations: number }> {
    // TUF 5.1: one reference time for every expiry check of this update.
    const now = this.#config.clock();
    // TUF 5.2: the trusted root.
    const initial = await this.#loadTrustedRoot(persist);
    // TUF 5.3.2 - 5.3.9: the rotation chain.
    const { root, rotations, onlineKeysChanged } = await this.#updateRoot(initial, persist);
    // TUF 5.3.10: freeze attack on root.
    assertRootFresh(root, now);
    // TUF 5.3.11: fast-forward recovery after a rotation of the timestamp or snapshot keys.
    if (onlineKeysChanged) {
      persist.delete('timestamp');
      persist.delete('snapshot');
    }
    const timestamp = await this.#updateTimestamp(root, now, persist);
    const snapshot = await this.#updateSnapshot(root, timestamp, now, persist);
    const targets = await this.#loadTargetsRole('targets', root.signed.authority('targets'), { root, snapshot, now, persist });
    return { now, root, timestamp, snapshot, targets, delegated: new Map(), rotations };
  }

  /**
   * TUF 5.6.7: the target entry for `targetPath` from the most trusted role that may sign for
   * it, or undefined when no such role lists it. Refreshes first when no refresh was done.
   */
  async getTargetInfo(targetPath: string): Promise<TargetFile | undefined> {
    return (await this.findTarget(targetPath))?.target;
  }

  /** As `getTargetInfo`, also naming the role whose metadata lists the target. */
  async findTarget(targetPath: string): Promise<FoundTarget | undefined> {
    const trusted = this.#trusted ?? (await this.refresh(), this.#requireTrusted());
    const persist = new PersistQueue(this.#store);
    return settle(persist, () =>
      searchDelegations(trusted.targets, targetPath, this.#config.maxDelegations, (delegation, delegatorName, delegator) =>
        this.#loadDelegated(trusted, persist, delegation, delegatorName, delegator),
      ),
    );
  }

  /**
   * TUF 5.7: make `destination` (default: the target directory, file named after the encoded
   * target path) hold exactly `target`. Returns where it is and whether it was fetched.
   */
  async downloadTarget(target: TargetFile, destination?: string, targetBaseUrl?: string): Promise<DownloadResult> {
    const trusted = this.#trusted ?? (await this.refresh(), this.#requireTrusted());
    const bases = targetBaseUrl === undefined ? this.#targetBases : [targetBaseUrl];
    if (bases.length === 0) throw new DeviceError('STW_DEVICE_USAGE', 'no target base URL given');
    let path = destination;
    if (path === undefined) {
      if (this.#targetDir === undefined) throw new DeviceError('STW_DEVICE_USAGE', 'no destination and no target directory given');
      path = targetFilePath(this.#targetDir, target);
    }
    const prefixWithHash = trusted.root.signed.usesConsistentSnapshots && this.#config.prefixTargetsWithHash;
    const file = targetUrlPath(target, prefixWithHash);
    const expected = expectedArtifact(target);
    const destinationPath = path;
    return fromMirrors(bases, (base) => this.#downloader.download({ url: joinUrl(base, file), expected, destination: destinationPath }));
  }

  #requireTrusted(): TrustedSet {
    if (this.#trusted === undefined) throw new DeviceError('STW_DEVICE_NOT_INITIALISED', 'no trusted metadata');
    return this.#trusted;
  }

  async #loadTrustedRoot(persist: PersistQueue): Promise<Metadata<Root>> {
    const bytes = await persist.read('root');
    if (bytes === undefined) throw new DeviceError('STW_DEVICE_NOT_INITIALISED', 'no trusted root: initialise the store first');
    return verifyTrustedRoot(bytes, this.#signatures);
  }

  /** TUF 5.3.2 - 5.3.9: accept N+1, N+2, ... until none is offered or the cap is reached. */
  async #updateRoot(initial: Metadata<Root>, persist: PersistQueue): Promise<{ root: Metadata<Root>; rotations: number; onlineKeysChanged: boolean }> {
    let root = initial;
    let rotations = 0;
    let onlineKeysChanged = false;
    while (rotations < this.#config.maxRootRotations) {
      const next = await this.#fetchNextRoot(root);
      if (next === undefined) break;
      onlineKeysChanged ||= roleKeysChanged(root.signed, next.value.signed, 'timestamp') || roleKeysChanged(root.signed, next.value.signed, 'snapshot');
      root = next.value;
      rotations += 1;
      // TUF 5.3.8: persist the trusted root (the queue keeps the latest; its commit at the end
      // of the refresh writes root first, also when a later step fails).
      persist.write('root', next.bytes);
    }
    return { root, rotations, onlineKeysChanged };
  }

  /** The verified next root, or undefined when every mirror says there is none (403/404). */
  async #fetchNextRoot(trusted: Metadata<Root>): Promise<Fetched<Metadata<Root>> | undefined> {
    const file = `${trusted.signed.version + 1}.root.json`;
    const maxLength = defaultMaxLength(this.#config, 'root');
    const failures: unknown[] = [];
    let absent = false;
    for (const base of this.#metadataBases) {
      try {
        const bytes = await fetchBounded(this.#fetcher, joinUrl(base, file), maxLength);
        return { value: verifyNextRoot(trusted, bytes, this.#limits), bytes };
      } catch (error) {
        if (isNotFound(error)) absent = true;
        else failures.push(error);
      }
    }
    if (absent) return undefined;
    throw mostTelling(failures);
  }

  /** TUF 5.4. */
  async #updateTimestamp(root: Metadata<Root>, now: Date, persist: PersistQueue): Promise<Metadata<Timestamp>> {
    const storedBytes = await persist.read('timestamp');
    const trusted = stillTrusted('timestamp', storedBytes, root.signed.authority('timestamp'), this.#signatures);
    const check = { root: root.signed, trusted, now, signatures: this.#signatures };
    const fetched = await this.#fetchVerified('timestamp.json', defaultMaxLength(this.#config, 'timestamp'), (bytes) => verifyTimestamp(bytes, check));
    // TUF 5.4.5: persist (unless the store already holds these very bytes).
    if (trusted === undefined || storedBytes === undefined || !fetched.bytes.equals(storedBytes)) persist.write('timestamp', fetched.bytes);
    return fetched.value;
  }

  /** TUF 5.5. */
  async #updateSnapshot(root: Metadata<Root>, timestamp: Metadata<Timestamp>, now: Date, persist: PersistQueue): Promise<Metadata<Snapshot>> {
    const pinned = timestamp.signed.snapshotMeta;
    const storedBytes = await persist.read('snapshot');
    const check = { root: root.signed, pinned, now, signatures: this.#signatures };
    // The stored snapshot is the one timestamp pins and passes every check: nothing to fetch.
    const reused = storedBytes === undefined ? undefined : attempt(() => verifySnapshot(storedBytes, { ...check, trusted: undefined }));
    if (reused !== undefined) return reused;
    const trusted = stillTrusted('snapshot', storedBytes, root.signed.authority('snapshot'), this.#signatures);
    const file = root.signed.usesConsistentSnapshots ? `${pinned.version}.snapshot.json` : 'snapshot.json';
    const maxLength = pinned.length ?? defaultMaxLength(this.#config, 'snapshot');
    const fetched = await this.#fetchVerified(file, maxLength, (bytes) => verifySnapshot(bytes, { ...check, trusted }));
    // TUF 5.5.7.
    persist.write('snapshot', fetched.bytes);
    return fetched.value;
  }

  /** TUF 5.6.7 (one step): load `delegation.name` as delegated by `delegatorName`. */
  async #loadDelegated(
    trusted: TrustedSet,
    persist: PersistQueue,
    delegation: DelegatedRole,
    delegatorName: string,
    delegator: Metadata<Targets>,
  ): Promise<Metadata<Targets>> {
    const name = delegation.name;
    if (isTopLevelRoleName(name)) {
      throw new DeviceError('STW_DEVICE_METADATA_INVALID', `${delegatorName} delegates to the top-level name ${name}`, {
        details: { role: delegatorName, delegated: name, reason: 'top-level-name' },
      });
    }
    const key = `${delegatorName}\u0000${name}`;
    const cached = trusted.delegated.get(key);
    if (cached !== undefined) return cached;
    const authority = delegator.signed.delegations?.authority(name);
    if (authority === undefined) throw new DeviceError('STW_DEVICE_METADATA_INVALID', `${delegatorName} does not delegate ${name}`, { details: { role: name } });
    const metadata = await this.#loadTargetsRole(name, authority, { ...trusted, persist });
    trusted.delegated.set(key, metadata);
    return metadata;
  }

  /** TUF 5.6.1 - 5.6.6 for `role` under `authority`; the stored copy is reused when it is exactly the pinned one. */
  async #loadTargetsRole(
    role: string,
    authority: TargetsCheck['authority'],
    context: { readonly root: Metadata<Root>; readonly snapshot: Metadata<Snapshot>; readonly now: Date; readonly persist: PersistQueue },
  ): Promise<Metadata<Targets>> {
    const pinned: MetaFile | undefined = context.snapshot.signed.roleMeta(role);
    if (pinned === undefined) {
      throw new DeviceError('STW_DEVICE_METADATA_INVALID', `snapshot does not list ${role}.json`, { details: { role, reason: 'not-in-snapshot' } });
    }
    const check: TargetsCheck = { role, authority, pinned, now: context.now, signatures: this.#signatures };
    const storedBytes = await context.persist.read(role);
    const reused = storedBytes === undefined ? undefined : attempt(() => verifyTargets(storedBytes, check));
    if (reused !== undefined) return reused;
    const encoded = encodeRoleName(role);
    const file = context.root.signed.usesConsistentSnapshots ? `${pinned.version}.${encoded}.json` : `${encoded}.json`;
    const maxLength = pinned.length ?? defaultMaxLength(this.#config, role);
    const fetched = await this.#fetchVerified(file, maxLength, (bytes) => verifyTargets(bytes, check));
    // TUF 5.6.6.
    context.persist.write(role, fetched.bytes);
    return fetched.value;
  }

  /** `file` from the first mirror whose bytes `verify` accepts. */
  async #fetchVerified<T>(file: string, maxLength: number, verify: (bytes: Buffer) => T): Promise<Fetched<T>> {
    return fromMirrors(this.#metadataBases, async (base) => {
      const bytes = await fetchBounded(this.#fetcher, joinUrl(base, file), maxLength);
      return { value: verify(bytes), bytes };
    });
  }
}

/** Run `operation`, then wait for its queued writes; the operation's own failure comes first. */
async function settle<T>(persist: PersistQueue, operation: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await operation();
  } catch (error) {
    await persist.drain().catch(() => {});
    throw error;
  }
  await persist.drain();
  return result;
}

function toList(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}

/** The result of `check`, or undefined when it throws. */
function attempt<T>(check: () => T): T | undefined {
  try {
    return check();
  } catch {
    return undefined;
  }
}
