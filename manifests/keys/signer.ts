/**
 * Signing. A `Signer` is whatever holds a private key: a key in memory here, an HSM or an
 * offline laptop elsewhere. Signatures are hex strings over the canonical bytes (TUF 4.2).
 *
 * @example
 * const { signer, privateKeyPem } = generateKeyPair('ed25519');
 * const signature = await signer.sign(canonicalBytes(signed));
 */
import { createPrivateKey, generateKeyPairSync, sign, constants, type KeyObject } from 'node:crypto';
import { ManifestError } from '../errors.js';
import { PublicKey, type SupportedKeyType } from './public-key.js';

export interface Signer {
  readonly publicKey: PublicKey;
  /** Returns the signature of `data` as lowercase hex. */
  sign(data: Uint8Array): Promise<string>;
}

/** A signer over a private key held in this process. */
export class KeyObjectSigner implements Signer {
  readonly publicKey: PublicKey;
  readonly #privateKey: KeyObject;

  constructor(privateKey: KeyObject) {
    if (privateKey.type !== 'private') throw new ManifestError('STW_MANIFEST_SIGNING_FAILED', 'a private key is required');
    this.#privateKey = privateKey;
    this.publicKey = PublicKey.fromKeyObject(privateKey);
  }

  /** From a PEM private key (PKCS#8, or PKCS#1 for RSA). */
  static fromPem(pem: string, passphrase?: string): KeyObjectSigner {
    try {
      return new KeyObjectSigner(createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase }));
    } catch (error) {
      if (error instanceof ManifestError) throw error;
      throw new ManifestError('STW_MANIFEST_KEY_ENCODING', 'private key PEM could not be read', { cause: error });
    }
  }

  sign(data: Uint8Array): Promise<string> {
    return Promise.resolve(this.signSync(data));
  }

  signSync(data: Uint8Array): string {
    try {
      if (this.publicKey.keyType === 'ed25519') return sign(null, data, this.#privateKey).toString('hex');
      // RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length = digest length (RFC 8017 9.1).
      return sign('sha256', data, { key: this.#privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }).toString('hex');
    } catch (error) {
      throw new ManifestError('STW_MANIFEST_SIGNING_FAILED', 'signing failed', { cause: error });
    }
  }
}

export interface GeneratedKeyPair {
  readonly publicKey: PublicKey;
  /** PKCS#8 PEM. Secret: keep offline for root, targets and vendor keys. */
  readonly privateKeyPem: string;
  readonly signer: KeyObjectSigner;
}

export function generateKeyPair(type: SupportedKeyType, options: { rsaModulusLength?: number } = {}): GeneratedKeyPair {
  const { privateKey } =
    type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('rsa', { modulusLength: options.rsaModulusLength ?? 3072 });
  const signer = new KeyObjectSigner(privateKey);
  return { publicKey: signer.publicKey, privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), signer };
}
