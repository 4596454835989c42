/**
 * Answers a device's check-in with its director document (protocol.md 3 and 4): a TUF
 * `targets` document for that device, signed by the director's online key under the
 * director root.
 *
 * The stored document is reused while it says what the device should do now (same desired
 * state hash) and is not near expiry; then the answer is `not-modified` when the device
 * already holds it (its ETag), or the stored bytes otherwise: no signing, no parsing. Only a
 * changed desired state or an ageing document is re-signed, with version + 1.
 *
 * @example
 * const answer = await director.answer(device.id, state, entityTags(request.headers['if-none-match']), now);
 * if (answer.kind === 'not-modified') reply.code(304); else reply.send(answer.document.body);
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { stewardError } from '../../errors.js';
import { isExpiringSoon } from '../../repository/expiry.js';
import { desiredStateHash, type DesiredState } from './desired-state.js';
import { DirectorDocuments, replaceDocument, type DocumentHead, type StoredDocument } from './director-documents.js';
import type { DirectorRoots } from './director-roots.js';
import { signDirectorDocument } from './sign-director-document.js';

export interface DirectorServiceOptions {
  readonly db: Kysely<Database>;
  readonly roots: DirectorRoots;
  /** Lifetime of a new document, in seconds. */
  readonly lifetimeSeconds: number;
  /** Re-sign when less than this fraction of the lifetime is left. */
  readonly resignBeforeFraction: number;
}

export type DirectorAnswer =
  | { readonly kind: 'not-modified'; readonly head: DocumentHead }
  | { readonly kind: 'document'; readonly document: StoredDocument; readonly resigned: boolean };

/** How many times a lost compare-and-set is retried before giving up. */
const MAX_ATTEMPTS = 4;

export class DirectorService {
  readonly #options: DirectorServiceOptions;
  readonly #documents = new DirectorDocuments();

  constructor(options: DirectorServiceOptions) {
    this.#options = options;
  }

  /**
   * `heldEtags`: the entity tags of the device's `If-None-Match` (see `entityTags`).
   * `known`: the document head read with the device (null: none), saving a read; undefined: read it.
   */
  async answer(deviceId: string, state: DesiredState, heldEtags: readonly string[], now: Date, known?: DocumentHead | null): Promise<DirectorAnswer> {
    const { db } = this.#options;
    const stateHash = desiredStateHash(state);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // A device that holds no document will get the body anyway: read it in the same query.
      const full = heldEtags.length === 0 && (attempt > 1 || known !== null) ? await this.#documents.stored(db, deviceId) : undefined;
      const head = full ?? (attempt === 1 && known !== undefined ? known : heldEtags.length === 0 ? undefined : await this.#documents.head(db, deviceId));
      if (head && head.stateHash === stateHash && !this.#ageing(head, now)) {
        if (heldEtags.includes(head.etag)) return { kind: 'not-modified', head };
        const document = full ?? (await this.#documents.stored(db, deviceId));
        if (document?.etag === head.etag) return { kind: 'document', document, resigned: false };
        continue; // replaced between the two reads: look again
      }
      const { signers } = await this.#options.roots.signers();
      const document = await signDirectorDocument({ state, version: (head?.version ?? 0) + 1, now, lifetimeSeconds: this.#options.lifetimeSeconds, signers });
      if (await replaceDocument(db, deviceId, head?.version, document, now)) return { kind: 'document', document, resigned: true };
    }
    throw stewardError('STW_UNAVAILABLE', 'the director document changed concurrently too many times; try again');
  }

  #ageing(head: DocumentHead, now: Date): boolean {
    return isExpiringSoon(head.expiresAt, now, this.#options.lifetimeSeconds, this.#options.resignBeforeFraction);
  }
}

/** The entity tags an `If-None-Match` field names (RFC 9110 13.1.2), without quotes or `W/`. */
export function entityTags(field: string | undefined): string[] {
  if (field === undefined) return [];
  return field.split(',').map((tag) => tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1')).filter((tag) => tag.length > 0);
}
