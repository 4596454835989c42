/**
 * The stored director document of each device (one row per device, the latest). The
 * check-in reads the small columns first and the body only when it must send it; a new
 * document replaces the old one only if the old one is still the one it was derived from
 * (compare-and-set on the version), so two replicas never interleave versions.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { HotQuery } from '../db/hot-query.js';

export interface DocumentHead {
  readonly version: number;
  /** SHA-256 hex of the body, without quotes. */
  readonly etag: string;
  readonly stateHash: string;
  readonly expiresAt: string;
  readonly profileVersion: number | null;
}

export interface StoredDocument extends DocumentHead {
  readonly body: string;
}

/** Reads of the current document, compiled once (see HotQuery); one instance per database. */
export class DirectorDocuments {
  readonly #head = new HotQuery(
    (db) => db.selectFrom('director_documents').select(['version', 'etag', 'state_hash', 'expires_at', 'profile_version']).where('device_id', '=', ''),
    1,
  );
  readonly #stored = new HotQuery(
    (db) => db.selectFrom('director_documents').select(['version', 'etag', 'state_hash', 'expires_at', 'profile_version', 'body']).where('device_id', '=', ''),
    1,
  );

  async head(db: Kysely<Database>, deviceId: string): Promise<DocumentHead | undefined> {
    const [row] = await this.#head.execute(db, [deviceId]);
    return row && toHead(row);
  }

  async stored(db: Kysely<Database>, deviceId: string): Promise<StoredDocument | undefined> {
    const [row] = await this.#stored.execute(db, [deviceId]);
    return row && { ...toHead(row), body: row.body };
  }
}

function toHead(row: { version: number; etag: string; state_hash: string; expires_at: string; profile_version: number | null }): DocumentHead {
  return { version: Number(row.version), etag: row.etag, stateHash: row.state_hash, expiresAt: row.expires_at, profileVersion: row.profile_version === null ? null : Number(row.profile_version) };
}

/** Stores `next` if the device's document is still `previousVersion` (undefined: none yet); false when another writer won. */
export async function replaceDocument(db: Kysely<Database>, deviceId: string, previousVersion: number | undefined, next: StoredDocument, now: Date): Promise<boolean> {
  const values = { version: next.version, etag: next.etag, state_hash: next.stateHash, expires_at: next.expiresAt, profile_version: next.profileVersion, body: next.body, signed_at: now.toISOString() };
  if (previousVersion === undefined) {
    const inserted = await db.insertInto('director_documents').values({ device_id: deviceId, ...values }).onConflict((conflict) => conflict.column('device_id').doNothing()).executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const updated = await db.updateTable('director_documents').set(values).where('device_id', '=', deviceId).where('version', '=', previousVersion).executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
