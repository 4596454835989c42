/**
 * The server's online keys: `<keysDir>/snapshot.pem`, `timestamp.pem` and `director.pem`
 * (Ed25519, PKCS#8 PEM, mode 0600), which `OnlineKeyring` loads at start-up. Only their
 * public halves leave the server: the offline root ceremony lists them in root.json
 * (TUF 2.1.1: snapshot and timestamp keys may be online).
 *
 * @example
 * const keys = await ensureOnlineKeys('./data/keys'); // creates what is missing, keeps the rest
 * console.log(JSON.stringify(onlineKeysDocument(keys)));
 */
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyObjectSigner, generateKeyPair, type JsonObject, type PublicKey } from '../../manifests/index.js';
import { CliError } from './cli-error.js';
import { writeNewFile } from './files.js';
import { PRIVATE_KEY_MODE, describeKey } from './key-files.js';

export const ONLINE_ROLES = ['snapshot', 'timestamp', 'director'] as const;
export type OnlineRole = (typeof ONLINE_ROLES)[number];

export interface OnlineKey {
  readonly role: OnlineRole;
  readonly path: string;
  readonly publicKey: PublicKey;
  /** True when this call generated the key. */
  readonly created: boolean;
}

const KEYS_DIR_MODE = 0o700;

export async function ensureOnlineKeys(keysDir: string): Promise<OnlineKey[]> {
  await mkdir(keysDir, { recursive: true, mode: KEYS_DIR_MODE });
  const keys: OnlineKey[] = [];
  for (const role of ONLINE_ROLES) {
    const path = join(keysDir, `${role}.pem`);
    const existing = await readKey(path);
    if (existing) {
      keys.push({ role, path, publicKey: existing, created: false });
      continue;
    }
    const pair = generateKeyPair('ed25519');
    await writeNewFile(path, pair.privateKeyPem, PRIVATE_KEY_MODE);
    await chmod(path, PRIVATE_KEY_MODE); // whatever the umask
    keys.push({ role, path, publicKey: pair.publicKey, created: true });
  }
  return keys;
}

export async function readOnlineKeys(keysDir: string): Promise<OnlineKey[]> {
  const keys: OnlineKey[] = [];
  for (const role of ONLINE_ROLES) {
    const path = join(keysDir, `${role}.pem`);
    const publicKey = await readKey(path);
    if (!publicKey) throw new CliError('STW_CLI_ONLINE_KEYS_MISSING', `${path} does not exist; 'steward init' creates the online keys`, { details: { path } });
    keys.push({ role, path, publicKey, created: false });
  }
  return keys;
}

/** `{ snapshot: { keyid, key }, timestamp: ..., director: ... }`: what the root ceremony takes. */
export function onlineKeysDocument(keys: readonly OnlineKey[]): JsonObject {
  return Object.fromEntries(keys.map((key) => [key.role, describeKey(key.publicKey)]));
}

async function readKey(path: string): Promise<PublicKey | undefined> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError('STW_CLI_FILE_UNREADABLE', `could not read ${path}`, { cause: error, details: { path } });
  }
  try {
    return KeyObjectSigner.fromPem(pem).publicKey;
  } catch (error) {
    throw new CliError('STW_CLI_FILE_UNREADABLE', `${path} is not a private key PEM`, { cause: error, details: { path } });
  }
}
