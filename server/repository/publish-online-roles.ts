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
  // Read the versions we are about to supersede FIRST. Under READ COMMITTED each statement sees
  // the latest commits: if another publisher commits after these reads, our inserts of
  // version + 1 collide with its rows and the transaction is retried; if none does, every
  // role read below is at least what the previous snapshot pinned. So snapshots never go back.
  const previous = await latestMetadata(trx, 'snapshot');
  const previousTimestamp = await latestMetadata(trx, 'timestamp');
  const root = await latestParsed(trx, 'root', 'root');
  const targets = await latestParsed(trx, 'targets', 'targets');
  if (!root || !targets) throw stewardError('STW_REPO_NOT_INITIALISED', 'the repository needs a root and top-level targets first');

  const meta = new Map<string, MetaFile>([['targets.json', pin(targets.stored)]]);
  for (const role of targets.metadata.signed.delegations?.roles ?? []) {
    const stored = await latestMetadata(trx, role.name);
    if (stored) meta.set(`${role.name}.json`, pin(stored));
  }
  const snapshot = new Snapshot({ specVersion: SPEC_VERSION, version: (previous?.version ?? 0) + 1, expires: expiresIn(context.now, context.snapshotLifetimeSeconds), meta });
  const signers = context.keyring.signersFor(root.metadata.signed.authority('snapshot'), 'snapshot');
  const storedSnapshot = await insertMetadata(trx, 'snapshot', await Metadata.create(snapshot).signAll(signers), context.now);
  const timestampVersion = await publishTimestamp(trx, context, { snapshot: storedSnapshot, previous: previousTimestamp });
  return { snapshotVersion: snapshot.version, timestampVersion };
}

/** A new timestamp over the latest snapshot (when only the timestamp nears expiry). */
export async function publishTimestamp(
  trx: Kysely<Database>,
  context: OnlineRoleContext,
  known: { snapshot: StoredMetadata; previous: StoredMetadata | undefined } | undefined = undefined,
): Promise<number> {
  // Previous timestamp before the snapshot it will pin, for the reason given above.
  const previous = known ? known.previous : await latestMetadata(trx, 'timestamp');
  const pinned = known ? known.snapshot : await latestMetadata(trx, 'snapshot');
  const root = await latestParsed(trx, 'root', 'root');
  if (!root || !pinned) throw stewardError('STW_REPO_NOT_INITIALISED', 'the repository has no snapshot yet');
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
