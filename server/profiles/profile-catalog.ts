/**
 * The director's source of profiles (`ProfileSource`) and the device route's renderer: for a
 * device of a merchant, the terminal document of the merchant's effective version, rendered
 * to bytes (`ProfileDocument.toBytes`, deterministic) and hashed once.
 *
 * Check-ins are hot, so:
 * - rendered documents sit in a bounded LRU keyed by merchant, version and TID (a version
 *   pins its default version, so the key names the bytes exactly);
 * - each merchant's "effective version" is kept for `headTtlMs` (default 1 s) and dropped at
 *   once on this replica when a change publishes (`invalidate`). Another replica sees a new
 *   version within `headTtlMs`; a scheduled version is picked up exactly when its time comes
 *   (the entry remembers when the next one takes effect).
 *
 * @example
 * const catalog = new ProfileCatalog({ db });
 * await catalog.profileFor(device, now); // { name: 'profiles/M1/T-1/4.json', length, hashes: { sha256 }, profileVersion: 4 }
 * await catalog.documentFor(device, 4, now); // the bytes, or undefined
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ProfileDocument } from '../../manifests/index.js';
import type { Database } from '../db/schema.js';
import type { DeviceRecord } from '../fleet/devices/device-record.js';
import type { DesiredProfile } from '../fleet/director/desired-state.js';
import type { ProfileSource } from '../fleet/director/profile-source.js';
import { LruCache } from './lru-cache.js';
import type { LayerFields } from './profile-layers.js';
import { defaultVersion, merchantVersion, toMerchantVersion, type MerchantVersion } from './profile-versions.js';
import { resolveProfile } from './resolve-profile.js';
import { effectiveTerminalId } from './terminal-ids.js';

export interface ProfileCatalogConfig {
  /** How long a merchant's effective version is trusted without asking the database; ms. */
  readonly headTtlMs: number;
  /** Rendered documents kept. */
  readonly maxDocuments: number;
  /** Merchants whose effective version is kept. */
  readonly maxMerchants: number;
}

export const defaultProfileCatalogConfig: ProfileCatalogConfig = { headTtlMs: 1000, maxDocuments: 20_000, maxMerchants: 20_000 };

interface Head {
  readonly fetchedAt: number;
  readonly current: MerchantVersion | undefined;
  /** When the next (scheduled) version takes effect; undefined: none is scheduled. */
  readonly nextAt: string | undefined;
}

export interface RenderedProfile {
  readonly name: string;
  readonly bytes: Buffer;
  readonly sha256: string;
  readonly version: number;
}

export class ProfileCatalog implements ProfileSource {
  readonly #db: Kysely<Database>;
  readonly #config: ProfileCatalogConfig;
  readonly #heads: LruCache<string, Promise<Head>>;
  readonly #documents: LruCache<string, RenderedProfile | null>;
  readonly #versions: LruCache<string, Promise<MerchantVersion | undefined>>;
  readonly #defaults = new LruCache<number, Promise<LayerFields>>(64);

  constructor(options: { db: Kysely<Database>; config?: Partial<ProfileCatalogConfig> }) {
    this.#db = options.db;
    this.#config = { ...defaultProfileCatalogConfig, ...options.config };
    this.#heads = new LruCache(this.#config.maxMerchants);
    this.#documents = new LruCache(this.#config.maxDocuments);
    this.#versions = new LruCache(this.#config.maxDocuments);
  }

  async profileFor(device: DeviceRecord, now: Date): Promise<DesiredProfile | undefined> {
    const terminalId = terminalIdOf(device);
    if (device.merchantId === null || terminalId === undefined) return undefined;
    const head = await this.#head(device.merchantId, now);
    if (!head.current) return undefined;
    const rendered = await this.#render(head.current, terminalId);
    return rendered && { name: rendered.name, length: rendered.bytes.length, hashes: { sha256: rendered.sha256 }, profileVersion: rendered.version };
  }

  /** The exact bytes of `version` for this device, if it is assigned and the version is in effect. */
  async documentFor(device: DeviceRecord, version: number, now: Date): Promise<RenderedProfile | undefined> {
    const terminalId = terminalIdOf(device);
    if (device.merchantId === null || terminalId === undefined) return undefined;
    const key = `${device.merchantId}\0${version}`;
    let loading = this.#versions.get(key);
    if (!loading) {
      loading = merchantVersion(this.#db, device.merchantId, version);
      this.#versions.set(key, loading);
      loading.catch(() => this.#versions.delete(key));
    }
    const found = await loading;
    if (!found) {
      this.#versions.delete(key); // it may be published later
      return undefined;
    }
    if (found.effectiveAt > now.toISOString()) return undefined;
    return this.#render(found, terminalId);
  }

  /** Forget the effective version of these merchants (all: a default change). */
  invalidate(merchants: readonly string[] | 'all'): void {
    if (merchants === 'all') this.#heads.clear();
    else for (const merchantId of merchants) this.#heads.delete(merchantId);
  }

  async #head(merchantId: string, now: Date): Promise<Head> {
    const cached = this.#heads.get(merchantId);
    if (cached) {
      const head = await cached;
      const age = now.getTime() - head.fetchedAt;
      const scheduledArrived = head.nextAt !== undefined && head.nextAt <= now.toISOString();
      if (age >= 0 && age < this.#config.headTtlMs && !scheduledArrived) return head;
      if (this.#heads.get(merchantId) !== cached) return this.#head(merchantId, now); // refreshed meanwhile
    }
    const loading = this.#loadHead(merchantId, now);
    this.#heads.set(merchantId, loading);
    loading.catch(() => this.#heads.delete(merchantId));
    return loading;
  }

  async #loadHead(merchantId: string, now: Date): Promise<Head> {
    const at = now.toISOString();
    const rows = await this.#db
      .selectFrom('profile_versions')
      .selectAll()
      .where('merchant_id', '=', merchantId)
      .where((eb) => eb.or([eb('effective_at', '<=', at), eb('version', '=', eb.selectFrom('profile_versions as n').select((e) => e.fn.min('n.version').as('v')).where('n.merchant_id', '=', merchantId).where('n.effective_at', '>', at))]))
      .orderBy('version', 'desc')
      .limit(2)
      .execute();
    // Versions take effect in number order: a scheduled row, if any, is the newest.
    const scheduled = rows[0] && rows[0].effective_at > at ? rows[0] : undefined;
    const current = rows.find((row) => row.effective_at <= at);
    return { fetchedAt: now.getTime(), current: current && toMerchantVersion(current), nextAt: scheduled?.effective_at };
  }

  async #render(version: MerchantVersion, terminalId: string): Promise<RenderedProfile | undefined> {
    const key = `${version.merchantId}\0${version.version}\0${terminalId}\0${version.defaultVersion ?? 0}`;
    const cached = this.#documents.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const defaults = await this.#defaultFields(version.defaultVersion);
    let rendered: RenderedProfile | null;
    try {
      const json = resolveProfile(defaults, version.layers, { merchantId: version.merchantId, terminalId, version: version.version });
      const bytes = ProfileDocument.fromJSON(json).toBytes();
      rendered = { name: `profiles/${version.merchantId}/${terminalId}/${version.version}.json`, bytes, sha256: createHash('sha256').update(bytes).digest('hex'), version: version.version };
    } catch {
      rendered = null; // cannot happen for a published version (each was validated); never serve a broken one
    }
    this.#documents.set(key, rendered);
    return rendered ?? undefined;
  }

  #defaultFields(version: number | null): Promise<LayerFields> {
    if (version === null) return Promise.resolve({});
    let loading = this.#defaults.get(version);
    if (!loading) {
      loading = defaultVersion(this.#db, version).then((found) => found?.fields ?? {});
      this.#defaults.set(version, loading);
      loading.catch(() => this.#defaults.delete(version));
    }
    return loading;
  }
}

function terminalIdOf(device: DeviceRecord): string | undefined {
  return effectiveTerminalId({ terminal_id: device.terminalId, serial: device.serial });
}
