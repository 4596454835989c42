/**
 * The director's root: a TUF root (TUF 4.3) whose `targets` role is the director's online
 * key (`director.pem` in keysDir) and whose `root` keys are held offline, like the image
 * repository's. Terminals receive it at enrolment and verify every director document
 * against its `targets` authority.
 *
 * Accepted by the rules of the image root (TUF 5.3.4 on the server side): the first must
 * meet its own root threshold and be version 1; each later one must be signed by a
 * threshold of the current and of its own root keys, with version + 1. The server must hold
 * enough of the `targets` keys to sign. A new root invalidates every stored director
 * document, so each device's next check-in is answered under the new keys.
 *
 * Stored in its own table (`director_roots`): role names in `metadata` belong to the image
 * repository, where a vendor may be called anything.
 *
 * @example
 * await roots.submit(signedRootJson);        // PUT /v1/director/root
 * const current = await roots.current();     // { version, body, metadata } | undefined
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { assertNotExpired, Metadata, verifyRootSuccessor, verifyThreshold, type KeyObjectSigner, type Root } from '../../../manifests/index.js';
import type { Database } from '../../db/schema.js';
import { stewardError } from '../../errors.js';
import { checking } from '../../repository/manifest-errors.js';
import type { OnlineKeyring } from '../../repository/online-keyring.js';
import { inPublishTransaction } from '../../repository/publish-transaction.js';

export interface StoredDirectorRoot {
  readonly version: number;
  /** The signed root JSON as uploaded. */
  readonly body: string;
  readonly metadata: Metadata<Root>;
}

const ROLE = 'director-root';

export class DirectorRoots {
  readonly #db: Kysely<Database>;
  readonly #keyring: () => OnlineKeyring;
  readonly #clock: () => Date;
  #cached: StoredDirectorRoot | undefined;

  constructor(options: { db: Kysely<Database>; keyring: () => OnlineKeyring; clock: () => Date }) {
    this.#db = options.db;
    this.#keyring = options.keyring;
    this.#clock = options.clock;
  }

  async submit(document: unknown): Promise<{ version: number }> {
    const candidate = await checking(ROLE, () => {
      if (document === null || typeof document !== 'object') throw stewardError('STW_REPO_METADATA_INVALID', 'the body must be a signed root document');
      return Metadata.fromJSON('root', document);
    });
    this.#keyring().signersFor(candidate.signed.authority('targets'), 'director targets');
    return inPublishTransaction(this.#db, async (trx) => {
      const now = this.#clock();
      const current = await latest(trx);
      await checking(ROLE, () => {
        if (current) verifyRootSuccessor(current.metadata.signed, candidate);
        else {
          verifyThreshold(candidate, candidate.signed.authority('root'), ROLE); // TUF 5.2: trust on first upload needs its own threshold
          if (candidate.signed.version !== 1) throw stewardError('STW_REPO_METADATA_INVALID', 'the first director root must be version 1', { role: ROLE });
        }
        assertNotExpired(candidate.signed, now, ROLE);
      });
      const body = candidate.toBytes().toString('utf8');
      await trx.insertInto('director_roots').values({ version: candidate.signed.version, body, sha256: createHash('sha256').update(body, 'utf8').digest('hex'), created_at: now.toISOString() }).execute();
      await trx.updateTable('director_documents').set({ state_hash: '' }).execute();
      return { version: candidate.signed.version };
    });
  }

  /** The latest root; parsed once per version. */
  async current(): Promise<StoredDirectorRoot | undefined> {
    const head = await this.#db.selectFrom('director_roots').select('version').orderBy('version', 'desc').limit(1).executeTakeFirst();
    if (!head) return undefined;
    if (this.#cached?.version !== Number(head.version)) this.#cached = await latest(this.#db);
    return this.#cached;
  }

  async at(version: number): Promise<string | undefined> {
    const row = await this.#db.selectFrom('director_roots').select('body').where('version', '=', version).executeTakeFirst();
    return row?.body;
  }

  /** The online signers for director documents under the current root. */
  async signers(): Promise<{ root: StoredDirectorRoot; signers: KeyObjectSigner[] }> {
    const root = await this.current();
    if (!root) throw stewardError('STW_DIRECTOR_NOT_INITIALISED', 'no director root has been uploaded (PUT /v1/director/root)');
    return { root, signers: this.#keyring().signersFor(root.metadata.signed.authority('targets'), 'director targets') };
  }
}

async function latest(db: Kysely<Database>): Promise<StoredDirectorRoot | undefined> {
  const row = await db.selectFrom('director_roots').select(['version', 'body']).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row && { version: Number(row.version), body: row.body, metadata: Metadata.fromBytes('root', Buffer.from(row.body, 'utf8'), { maxBytes: Number.MAX_SAFE_INTEGER }) };
}
