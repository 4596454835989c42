/**
 * Proof of possession of the manufacturing key at zero-touch enrolment: the server sends a
 * fresh random challenge, the terminal signs it with the private key of its manufacturing
 * certificate, the server verifies with the key from the verified chain.
 *
 * Scheme: RSASSA-PSS (RFC 8017 8.1) with SHA-256, MGF1-SHA-256 and a salt as long as the
 * digest (32 bytes), as RFC 4055 3.1 recommends. The raw challenge bytes are signed (the
 * scheme hashes them). PKCS#1 v1.5 signatures are not accepted: one scheme, no downgrade.
 *
 * node:crypto only (no node-forge), so a terminal can import this file on its own.
 */
import { constants, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { ManifestError } from '../errors.js';
import { keyEncodingFailed } from './x509-errors.js';

const DIGEST = 'sha256';
const PSS_OPTIONS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } as const;
const MIN_RSA_BITS = 2048;

/**
 * Signs an enrolment challenge with an RSA private key (PEM: PKCS#8 or PKCS#1).
 * Throws `STW_MANIFEST_SIGNING_FAILED` when the key cannot be read or is not RSA.
 *
 * @example
 * const signature = signChallenge(manufacturingKeyPem, challengeFromServer);
 */
export function signChallenge(privateKeyPem: string, challenge: Uint8Array): Uint8Array {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  } catch (cause) {
    throw new ManifestError('STW_MANIFEST_SIGNING_FAILED', 'private key could not be read', { cause });
  }
  if (!isRsa(key)) {
    throw new ManifestError('STW_MANIFEST_SIGNING_FAILED', `challenge keys are RSA, not ${key.asymmetricKeyType}`);
  }
  try {
    return new Uint8Array(sign(DIGEST, challenge, { key, ...PSS_OPTIONS }));
  } catch (cause) {
    throw new ManifestError('STW_MANIFEST_SIGNING_FAILED', 'signing the challenge failed', { cause });
  }
}

export interface VerifyChallengeSignatureInput {
  /** SPKI PEM, e.g. `VerifiedDeviceCertificate.publicKeyPem`. */
  readonly publicKeyPem: string;
  readonly challenge: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * Checks a terminal's RSASSA-PSS SHA-256 signature over the challenge. Returns false for
 * a signature that does not verify. Throws `STW_MANIFEST_KEY_ENCODING` for an unreadable
 * key and `STW_MANIFEST_UNSUPPORTED_KEY` for a key that is not RSA of 2048 bits or more.
 *
 * @example
 * if (!verifyChallengeSignature({ publicKeyPem: device.publicKeyPem, challenge, signature })) {
 *   throw new Error('proof of possession failed');
 * }
 */
export function verifyChallengeSignature(input: VerifyChallengeSignatureInput): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: input.publicKeyPem, format: 'pem' });
  } catch (cause) {
    throw keyEncodingFailed('unreadable', 'public key could not be read', cause);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (!isRsa(key) || bits < MIN_RSA_BITS) {
    throw new ManifestError('STW_MANIFEST_UNSUPPORTED_KEY', 'challenge keys are RSA of 2048 bits or more', {
      details: { keyType: key.asymmetricKeyType, bits },
    });
  }
  return verify(DIGEST, input.challenge, { key, ...PSS_OPTIONS }, input.signature);
}

function isRsa(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
}
