/**
 * The server's online private keys (snapshot, timestamp, director): PKCS#8 PEM files in
 * `keysDir`, one key per file. Offline keys (root, top-level targets, vendors) never come
 * here: the server can only sign what TUF lets an online key sign.
 *
 * @example
 * const keyring = await OnlineKeyring.load('./data/keys');
 * const signers = keyring.signersFor(root.authority('timestamp'), 'timestamp');
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyObjectSigner, type Authority } from '../../manifests/index.js';
import { stewardError } from '../errors.js';

export class OnlineKeyring {
  readonly #signers: Map<string, KeyObjectSigner>;

  constructor(signers: readonly KeyObjectSigner[]) {
    this.#signers = new Map(signers.map((signer) => [signer.publicKey.keyId(), signer]));
  }

  static async load(directory: string): Promise<OnlineKeyring> {
    const names = await readdir(directory).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const signers: KeyObjectSigner[] = [];
    for (const name of names.filter((file) => file.endsWith('.pem')).sort()) {
      signers.push(KeyObjectSigner.fromPem(await readFile(join(directory, name), 'utf8')));
    }
    return new OnlineKeyring(signers);
  }

  get keyIds(): string[] {
    return [...this.#signers.keys()];
  }

  signer(keyId: string): KeyObjectSigner | undefined {
    return this.#signers.get(keyId);
  }

  /** Enough held signers to meet `authority`'s threshold, or STW_REPO_ONLINE_KEY_MISSING. */
  signersFor(authority: Authority, role: string): KeyObjectSigner[] {
    const held = [...authority.keys.keys()].map((keyId) => this.#signers.get(keyId)).filter((signer): signer is KeyObjectSigner => signer !== undefined);
    if (held.length < authority.threshold) {
      throw stewardError('STW_REPO_ONLINE_KEY_MISSING', `the server holds ${held.length} of the ${authority.threshold} ${role} keys root requires`, { role });
    }
    return held.slice(0, authority.threshold);
  }
}
