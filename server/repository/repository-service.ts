/**
 * The TUF image repository as a service: accepts the operator's root and top-level targets,
 * vendors' artifacts and delegated roles, and keeps snapshot and timestamp signed and fresh.
 * Every accepted document is published together with a new snapshot and timestamp in one
 * transaction (see publish-transaction.ts), so readers see either the old or the new state.
 *
 * @example
 * const repository = new RepositoryService({ db, blobs, keyring, config });
 * await repository.submitVendorRole('acme', signedRoleJson);
 */
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { Metadata, type RoleType, type SignedByType } from '../../manifests/index.js';
import type { BlobStore } from '../blobs/index.js';
import type { Config } from '../config/config.js';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { checking } from './manifest-errors.js';
import { insertMetadata, latestMetadata, latestParsed, metadataAt, type StoredMetadata } from './metadata-rows.js';
import type { OnlineKeyring } from './online-keyring.js';
import { inPublishTransaction } from './publish-transaction.js';
import { publishSnapshotAndTimestamp, publishTimestamp, type OnlineRoleContext, type Publication } from './publish-online-roles.js';
import { checkRoot } from './submit-root.js';
import { checkTopLevelTargets } from './submit-top-level-targets.js';
import { checkVendorRole } from './submit-vendor-role.js';
import { isExpiringSoon } from './expiry.js';

export interface RepositoryServiceOptions {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly keyring: OnlineKeyring;
  readonly config: Pick<Config, 'maxArtifactBytes' | 'snapshotLifetimeSeconds' | 'timestampLifetimeSeconds' | 'resignBeforeFraction'>;
  readonly clock?: () => Date;
}

export interface Artifact {
  readonly sha256: string;
  readonly sha512: string;
  readonly length: number;
}

export interface ReleaseSummary {
  readonly targetPath: string;
  readonly component: string;
  readonly version: string;
  readonly hardwareIds: string[];
  readonly minFromVersion: string | null;
  readonly notes: string;
  readonly length: number;
  readonly sha256: string;
  readonly createdAt: string;
}

export class RepositoryService {
  readonly #db: Kysely<Database>;
  readonly #blobs: BlobStore;
  readonly #config: RepositoryServiceOptions['config'];
  readonly #clock: () => Date;
  #keyring: OnlineKeyring;

  constructor(options: RepositoryServiceOptions) {
    this.#db = options.db;
    this.#blobs = options.blobs;
    this.#keyring = options.keyring;
    this.#config = options.config;
    this.#clock = options.clock ?? (() => new Date());
  }

  set keyring(keyring: OnlineKeyring) {
    this.#keyring = keyring;
  }

  async submitRoot(document: unknown): Promise<Publication | { rootVersion: number }> {
    const candidate = await parse('root', document);
    return inPublishTransaction(this.#db, async (trx) => {
      const now = this.#clock();
      await checkRoot(trx, candidate, now);
      await insertMetadata(trx, 'root', candidate, now);
      // New online keys take effect at once: re-sign snapshot and timestamp under this root.
      if (await latestMetadata(trx, 'targets')) return publishSnapshotAndTimestamp(trx, this.#context(now));
      return { rootVersion: candidate.signed.version };
    });
  }

  async submitTopLevelTargets(document: unknown): Promise<Publication> {
    const candidate = await parse('targets', document);
    return inPublishTransaction(this.#db, async (trx) => {
      const now = this.#clock();
      await checkTopLevelTargets(trx, candidate, now);
      await insertMetadata(trx, 'targets', candidate, now);
      return publishSnapshotAndTimestamp(trx, this.#context(now));
    });
  }

  async submitVendorRole(vendorId: string, document: unknown): Promise<Publication & { version: number }> {
    const candidate = await parse('targets', document);
    return inPublishTransaction(this.#db, async (trx) => {
      const now = this.#clock();
      const releases = await checkVendorRole(trx, vendorId, candidate, now);
      await insertMetadata(trx, vendorId, candidate, now);
      for (const { path, file, release } of releases) {
        await trx
          .insertInto('releases')
          .values({
            target_path: path,
            vendor_id: vendorId,
            component: release.component,
            version: release.version,
            hardware_ids: JSON.stringify(release.hardwareIds),
            min_from_version: release.minFromVersion ?? null,
            notes: release.notes,
            length: file.length,
            sha256: (file.hashes['sha256'] ?? '').toLowerCase(),
            created_at: now.toISOString(),
          })
          .onConflict((conflict) => conflict.column('target_path').doNothing())
          .execute();
      }
      return { version: candidate.signed.version, ...(await publishSnapshotAndTimestamp(trx, this.#context(now))) };
    });
  }

  /** Store an uploaded artifact (streamed, hashed, size-limited) and record it. */
  async uploadArtifact(source: Readable, options: { expectedSha256?: string | undefined; declaredLength?: number | undefined; onProgress?: (bytes: number) => void }): Promise<Artifact> {
    if (options.declaredLength !== undefined && options.declaredLength > this.#config.maxArtifactBytes) {
      source.resume();
      throw stewardError('STW_ARTIFACT_TOO_LARGE', `artifact of ${options.declaredLength} bytes exceeds ${this.#config.maxArtifactBytes}`, { maxBytes: this.#config.maxArtifactBytes });
    }
    const stored = await this.#blobs.put(source, { maxLength: this.#config.maxArtifactBytes, expectedSha256: options.expectedSha256, onProgress: options.onProgress });
    await this.#db
      .insertInto('blobs')
      .values({ sha256: stored.sha256, sha512: stored.sha512, length: stored.length, created_at: this.#clock().toISOString() })
      .onConflict((conflict) => conflict.column('sha256').doNothing())
      .execute();
    return stored;
  }

  /** Re-sign snapshot and timestamp when they near expiry; returns what was published. */
  async resignIfDue(): Promise<'snapshot' | 'timestamp' | 'nothing'> {
    const now = this.#clock();
    const snapshot = await latestParsed(this.#db, 'snapshot', 'snapshot');
    const timestamp = await latestParsed(this.#db, 'timestamp', 'timestamp');
    if (!snapshot || !timestamp) return 'nothing';
    const fraction = this.#config.resignBeforeFraction;
    if (isExpiringSoon(snapshot.metadata.signed.expires, now, this.#config.snapshotLifetimeSeconds, fraction)) {
      await inPublishTransaction(this.#db, (trx) => publishSnapshotAndTimestamp(trx, this.#context(now)));
      return 'snapshot';
    }
    if (isExpiringSoon(timestamp.metadata.signed.expires, now, this.#config.timestampLifetimeSeconds, fraction)) {
      await inPublishTransaction(this.#db, (trx) => publishTimestamp(trx, this.#context(now)));
      return 'timestamp';
    }
    return 'nothing';
  }

  /** A published target by path and one of its hashes (consistent target names, TUF 5.7.3). */
  async findTarget(path: string, hash: string): Promise<{ sha256: string; length: number } | undefined> {
    const row = await this.#db
      .selectFrom('releases')
      .innerJoin('blobs', 'blobs.sha256', 'releases.sha256')
      .select(['releases.sha256 as sha256', 'releases.length as length', 'blobs.sha512 as sha512'])
      .where('releases.target_path', '=', path)
      .executeTakeFirst();
    if (!row || (row.sha256 !== hash && row.sha512 !== hash)) return undefined;
    return { sha256: row.sha256, length: Number(row.length) };
  }

  async releases(vendorId: string): Promise<ReleaseSummary[]> {
    const rows = await this.#db.selectFrom('releases').selectAll().where('vendor_id', '=', vendorId).orderBy('created_at', 'desc').orderBy('target_path').execute();
    return rows.map((row) => ({
      targetPath: row.target_path,
      component: row.component,
      version: row.version,
      hardwareIds: JSON.parse(row.hardware_ids) as string[],
      minFromVersion: row.min_from_version,
      notes: row.notes,
      length: Number(row.length),
      sha256: row.sha256,
      createdAt: row.created_at,
    }));
  }

  get blobs(): BlobStore {
    return this.#blobs;
  }

  latest(role: string): Promise<StoredMetadata | undefined> {
    return latestMetadata(this.#db, role);
  }

  at(role: string, version: number): Promise<StoredMetadata | undefined> {
    return metadataAt(this.#db, role, version);
  }

  latestParsed<K extends RoleType>(role: string, type: K): Promise<Metadata<SignedByType[K]> | undefined> {
    return latestParsed(this.#db, role, type).then((found) => found?.metadata);
  }

  #context(now: Date): OnlineRoleContext {
    return { keyring: this.#keyring, now, snapshotLifetimeSeconds: this.#config.snapshotLifetimeSeconds, timestampLifetimeSeconds: this.#config.timestampLifetimeSeconds };
  }
}

function parse<K extends RoleType>(type: K, document: unknown): Promise<Metadata<SignedByType[K]>> {
  return checking(type === 'targets' ? 'targets' : type, () => {
    if (document === null || typeof document !== 'object') throw stewardError('STW_REPO_METADATA_INVALID', 'the body must be a signed metadata document');
    return Metadata.fromJSON(type, document);
  });
}
