/**
 * Key files as the ceremony passes them around: a private key is a PKCS#8 PEM file (mode
 * 0600, created once, never overwritten); its public half is `<file>.pub.json`, the key in
 * TUF's JSON form (TUF 4.2 KEY). Public key files may also be `{ "keyid", "key" }` or the
 * output of `steward keys online`, from which the entry for the role is taken.
 *
 * @example
 * await writeKeyPair('root-1.pem', generateKeyPair('ed25519')); // root-1.pem, root-1.pem.pub.json
 * const key = await readPublicKey('online-keys.json', 'snapshot');
 */
import { access } from 'node:fs/promises';
import { KeyObjectSigner, ManifestError, PublicKey, isJsonObject, type GeneratedKeyPair, type JsonObject } from '../../manifests/index.js';
import { CliError } from './cli-error.js';
import { prettyJson, readJsonFile, readText, writeNewFile } from './files.js';

export const PRIVATE_KEY_MODE = 0o600;

export function publicKeyPath(privateKeyPath: string): string {
  return `${privateKeyPath}.pub.json`;
}

/** Writes both halves; refuses (and writes nothing) when either file exists. */
export async function writeKeyPair(path: string, pair: GeneratedKeyPair): Promise<{ privatePath: string; publicPath: string }> {
  const publicPath = publicKeyPath(path);
  for (const target of [path, publicPath]) {
    if (await exists(target)) throw new CliError('STW_CLI_FILE_EXISTS', `${target} exists; a key file is never overwritten`, { details: { path: target } });
  }
  await writeNewFile(path, pair.privateKeyPem, PRIVATE_KEY_MODE);
  await writeNewFile(publicPath, prettyJson(pair.publicKey.toJSON()));
  return { privatePath: path, publicPath };
}

/** `{ keyid, key }`: how the CLI prints a public key (the key id is derived, shown for checking). */
export function describeKey(key: PublicKey): JsonObject {
  return { keyid: key.keyId(), key: key.toJSON() };
}

export async function readPublicKey(path: string, role?: string): Promise<PublicKey> {
  const document = await readJsonFile(path);
  const entry = role !== undefined && isJsonObject(document) && isJsonObject(document[role]) ? document[role] : document;
  try {
    if (isJsonObject(entry) && isJsonObject(entry['key'])) {
      const key = PublicKey.fromJSON(entry['key'], path);
      if (typeof entry['keyid'] === 'string' && entry['keyid'] !== key.keyId()) {
        throw new CliError('STW_CLI_FILE_UNREADABLE', `${path}: keyid ${entry['keyid']} is not the id of the key beside it`, { details: { path } });
      }
      return checked(key, path);
    }
    return checked(PublicKey.fromJSON(entry, path), path);
  } catch (error) {
    if (error instanceof ManifestError) throw new CliError('STW_CLI_FILE_UNREADABLE', `${path} is not a public key in TUF JSON: ${error.message}`, { cause: error, details: { path } });
    throw error;
  }
}

export async function readPublicKeys(paths: readonly string[]): Promise<PublicKey[]> {
  const keys: PublicKey[] = [];
  for (const path of paths) keys.push(await readPublicKey(path));
  return keys;
}

/** Signers from PKCS#8 (or PKCS#1 RSA) PEM files. */
export async function readSigners(paths: readonly string[]): Promise<KeyObjectSigner[]> {
  const signers: KeyObjectSigner[] = [];
  for (const path of paths) {
    const pem = await readText(path);
    try {
      signers.push(KeyObjectSigner.fromPem(pem));
    } catch (error) {
      throw new CliError('STW_CLI_FILE_UNREADABLE', `${path} is not a private key PEM (give the .pem file, not its .pub.json)`, { cause: error, details: { path } });
    }
  }
  return signers;
}

function checked(key: PublicKey, path: string): PublicKey {
  if (!key.isSupported()) throw new CliError('STW_CLI_FILE_UNREADABLE', `${path}: key type ${key.keyType}/${key.scheme} is not supported (ed25519 or rsa with rsassa-pss-sha256)`, { details: { path } });
  return key;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
