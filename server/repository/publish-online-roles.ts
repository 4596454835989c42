/**
 * Signs a new snapshot and timestamp with the server's online keys (TUF 4.4, 4.6), inside
 * the caller's transaction, so a publication becomes visible all at once or not at all.
 * The snapshot pins the latest version of top-level targets and of every delegated role the
 * top-level targets currently names.
 */
import { formatExpires, Metadata, MetaFile, Snapshot, SPEC_VERSION, Timestamp } from '../../manifests/index.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';
import { insertMetadata, latestMetadata, latestParsed, type StoredMetadata } from './metadata-rows.js';
import type { OnlineKeyring } from './online-keyring.js';

export interface OnlineRoleContext {
  readonly keyring: OnlineKeyring;
  readonly now: Date;
  readonly snapshotLifetimeSeconds: number;
  readonly timestampLifetimeSeconds: number;
}

export interface Publication {
  readonly snapshotVersion: number;
  readonly timestampVersion: number;
}

export async function publishSnapshotAndTimestamp(trx: Kysely<Database>, context: OnlineRoleContext): Promise<Publication> {
  const root = await latestParsed(trx, 'root', 'root');
  const targets = await latestParsed(trx, 'targets', 'targets');
  if (!root || !targets) throw stewardError('STW_REPO_NOT_INITIALISED', 'the repository needs a root and top-level targets first');

  const meta = new Map<string, MetaFile>([['targets.json', pin(targets.stored)]]);
  for (const role of targets.metadata.signed.delegations?.roles ?? []) {
    const stored = await latestMetadata(trx, role.name);
    if (stored) meta.set(`${role.name}.json`, pin(stored));
  }
  const previous = await latestMetadata(trx, 'snapshot');
  const snapshot = new Snapshot({ specVersion: SPEC_VERSION, version: (previous?.version ?? 0) + 1, expires: expiresIn(context.now, context.snapshotLifetimeSeconds), meta });
  const signers = context.keyring.signersFor(root.metadata.signed.authority('snapshot'), 'snapshot');
  const storedSnapshot = await insertMetadata(trx, 'snapshot', await Metadata.create(snapshot).signAll(signers), context.now);
  const timestampVersion = await publishTimestamp(trx, context, storedSnapshot);
  return { snapshotVersion: snapshot.version, timestampVersion };
}

/** A new timestamp over the latest snapshot (when only the timestamp nears expiry). */
export async function publishTimestamp(trx: Kysely<Database>, context: OnlineRoleContext, snapshot?: StoredMetadata): Promise<number> {
  const root = await latestParsed(trx, 'root', 'root');
  const pinned = snapshot ?? (await latestMetadata(trx, 'snapshot'));
  if (!root || !pinned) throw stewardError('STW_REPO_NOT_INITIALISED', 'the repository has no snapshot yet');
  const previous = await latestMetadata(trx, 'timestamp');
  const timestamp = new Timestamp({ specVersion: SPEC_VERSION, version: (previous?.version ?? 0) + 1, expires: expiresIn(context.now, context.timestampLifetimeSeconds), snapshotMeta: pin(pinned) });
  const signers = context.keyring.signersFor(root.metadata.signed.authority('timestamp'), 'timestamp');
  await insertMetadata(trx, 'timestamp', await Metadata.create(timestamp).signAll(signers), context.now);
  return timestamp.version;
}

function pin(stored: StoredMetadata): MetaFile {
  return new MetaFile({ version: stored.version, length: stored.length, hashes: { sha256: stored.sha256 } });
}

function expiresIn(now: Date, seconds: number): string {
  return formatExpires(new Date(now.getTime() + seconds * 1000));
}
