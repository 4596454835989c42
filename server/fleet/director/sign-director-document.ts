/**
 * Signing one device's director document: `DirectorTargets.build` (TUF `targets` form with
 * the director's custom fields), a version and an expiry, signed by the director root's
 * `targets` keys; the stored form is the exact bytes served, its SHA-256 the ETag.
 *
 * @example
 * const document = await signDirectorDocument({ state, version: 2, now, lifetimeSeconds: 86400, signers });
 */
import { createHash } from 'node:crypto';
import { DirectorTargets, formatExpires, Metadata, type Signer } from '../../../manifests/index.js';
import { desiredStateHash, type DesiredState } from './desired-state.js';
import type { StoredDocument } from './director-documents.js';

export async function signDirectorDocument(options: { state: DesiredState; version: number; now: Date; lifetimeSeconds: number; signers: readonly Signer[] }): Promise<StoredDocument> {
  const { state, version, now, lifetimeSeconds, signers } = options;
  const expires = formatExpires(new Date(now.getTime() + lifetimeSeconds * 1000));
  const targets = DirectorTargets.build({ version, expires, instructions: state.instructions, images: state.images, profile: state.profile });
  const body = (await Metadata.create(targets).signAll(signers)).toBytes();
  return {
    version,
    etag: createHash('sha256').update(body).digest('hex'),
    stateHash: desiredStateHash(state),
    expiresAt: expires,
    profileVersion: state.profile?.profileVersion ?? null,
    body: body.toString('utf8'),
  };
}
