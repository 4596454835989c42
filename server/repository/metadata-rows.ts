/**
 * The `metadata` table: every version of every role ever published, as the exact bytes
 * served. The primary key (role, version) is what makes two concurrent publishers unable to
 * both write one version: the loser's transaction fails and is retried.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Metadata, type RoleType, type SignedByType } from '../../manifests/index.js';
import type { Database } from '../db/schema.js';

export interface StoredMetadata {
  readonly role: string;
  readonly version: number;
  readonly body: string;
  readonly sha256: string;
  readonly length: number;
}

type Executor = Kysely<Database>;

export async function latestMetadata(db: Executor, role: string): Promise<StoredMetadata | undefined> {
  const row = await db.selectFrom('metadata').select(['role', 'version', 'body', 'sha256', 'length']).where('role', '=', role).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row && toStored(row);
}

export async function metadataAt(db: Executor, role: string, version: number): Promise<StoredMetadata | undefined> {
  const row = await db.selectFrom('metadata').select(['role', 'version', 'body', 'sha256', 'length']).where('role', '=', role).where('version', '=', version).executeTakeFirst();
  return row && toStored(row);
}

/** The latest version of `role`, parsed as `type`. Stored metadata was verified on the way in. */
export async function latestParsed<K extends RoleType>(db: Executor, role: string, type: K): Promise<{ stored: StoredMetadata; metadata: Metadata<SignedByType[K]> } | undefined> {
  const stored = await latestMetadata(db, role);
  return stored && { stored, metadata: Metadata.fromBytes(type, Buffer.from(stored.body, 'utf8'), { maxBytes: Number.MAX_SAFE_INTEGER }) };
}

export async function insertMetadata(db: Executor, role: string, metadata: Metadata, now: Date): Promise<StoredMetadata> {
  const body = metadata.toBytes();
  const stored: StoredMetadata = { role, version: metadata.signed.version, body: body.toString('utf8'), sha256: createHash('sha256').update(body).digest('hex'), length: body.length };
  await db.insertInto('metadata').values({ ...stored, created_at: now.toISOString() }).execute();
  return stored;
}

function toStored(row: { role: string; version: number | string; body: string; sha256: string; length: number | string }): StoredMetadata {
  return { role: row.role, version: Number(row.version), body: row.body, sha256: row.sha256, length: Number(row.length) };
}
