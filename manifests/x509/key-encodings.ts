/**
 * Conversions between the private-key encodings vendors' HSM tooling exports: PKCS#1
 * `RSA PRIVATE KEY` (RFC 8017 A.1.2), PKCS#8 `PRIVATE KEY` and `ENCRYPTED PRIVATE KEY`
 * (RFC 5208, RFC 5958), labels per RFC 7468. node:crypto (OpenSSL) does the work.
 * Every failure is `ManifestError` `STW_MANIFEST_KEY_ENCODING` with `details.reason`
 * and the original error as `cause`.
 */
import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readSinglePemBlock } from './pem-block.js';
import type { PemBlock } from './pem-block.js';
import { keyEncodingFailed } from './x509-errors.js';

/**
 * Converts a PKCS#1 RSA private key PEM to PKCS#8 (`BEGIN PRIVATE KEY`).
 *
 * @example
 * const pkcs8Pem = pkcs1ToPkcs8Pem(fs.readFileSync('vendor-rsa.key', 'utf8'));
 */
export function pkcs1ToPkcs8Pem(rsaPrivateKeyPem: string): string {
  const block = readBlock(rsaPrivateKeyPem, 'RSA PRIVATE KEY');
  const key = readKey(() => createPrivateKey({ key: block.der, format: 'der', type: 'pkcs1' }));
  return exportKey(() => key.export({ type: 'pkcs8', format: 'pem' }));
}

/**
 * Converts a PKCS#8 RSA private key PEM to PKCS#1 (`BEGIN RSA PRIVATE KEY`), for tools that
 * only read the older form. Keys other than RSA fail with reason 'not-rsa'.
 *
 * @example
 * const pkcs1Pem = pkcs8ToPkcs1Pem(pkcs8Pem);
 */
export function pkcs8ToPkcs1Pem(pkcs8Pem: string): string {
  const block = readBlock(pkcs8Pem, 'PRIVATE KEY');
  const key = readKey(() => createPrivateKey({ key: block.der, format: 'der', type: 'pkcs8' }));
  if (key.asymmetricKeyType !== 'rsa') {
    throw keyEncodingFailed('not-rsa', `PKCS#1 holds RSA keys only, not ${key.asymmetricKeyType}`);
  }
  return exportKey(() => key.export({ type: 'pkcs1', format: 'pem' }));
}

/**
 * Decrypts a PKCS#8 `ENCRYPTED PRIVATE KEY` (PBES2 or PKCS#12 PBE, RFC 8018) into a plain
 * PKCS#8 PEM of the same key. A wrong password or damaged file fails with reason 'unreadable'.
 *
 * @example
 * const pkcs8Pem = decryptPkcs8Pem(encryptedPem, process.env.VENDOR_KEY_PASSWORD ?? '');
 */
export function decryptPkcs8Pem(encryptedPkcs8Pem: string, password: string): string {
  const block = readBlock(encryptedPkcs8Pem, 'ENCRYPTED PRIVATE KEY');
  const key = readKey(() => createPrivateKey({ key: block.der, format: 'der', type: 'pkcs8', passphrase: password }));
  return exportKey(() => key.export({ type: 'pkcs8', format: 'pem' }));
}

function readBlock(pem: string, label: string): PemBlock {
  const read = readSinglePemBlock(pem, [label]);
  if (!read.ok) throw keyEncodingFailed('pem', read.problem);
  if (read.block.hasHeaders) {
    throw keyEncodingFailed('encrypted-pem', 'legacy encrypted PEM (Proc-Type headers) is not read here');
  }
  return read.block;
}

function readKey(read: () => KeyObject): KeyObject {
  try {
    return read();
  } catch (cause) {
    throw keyEncodingFailed('unreadable', 'the key could not be read', cause);
  }
}

function exportKey(write: () => string | Buffer): string {
  try {
    return write().toString();
  } catch (cause) {
    throw keyEncodingFailed('unreadable', 'the key could not be exported', cause);
  }
}
