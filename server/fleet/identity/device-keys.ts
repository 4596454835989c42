/**
 * Device keys as node:crypto KeyObjects, built once per key and kept in a bounded cache
 * (the key text is the cache key, so a re-keyed device never meets its old key), and the
 * Ed25519 verification of a request signature, run on libuv's thread pool so that the
 * event loop keeps serving while it runs.
 *
 * A key is imported as a JWK (RFC 8037 2: `kty` OKP, `crv` Ed25519, `x` the raw key): with
 * OpenSSL 3 that is several times cheaper than decoding SPKI DER, and a large fleet's
 * check-ins mostly miss the cache.
 *
 * @example
 * const key = deviceKeys.keyObject(device.publicKey); // null when not an Ed25519 key
 * const ok = key !== null && (await verifyEd25519(key, signatureBase, signature));
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export class DeviceKeyCache {
  readonly #capacity: number;
  readonly #keys = new Map<string, KeyObject | null>();

  constructor(capacity = 20_000) {
    this.#capacity = capacity;
  }

  /** The Ed25519 KeyObject of a stored device key (TUF key JSON), or null when unusable. */
  keyObject(publicKeyJson: string): KeyObject | null {
    const cached = this.#keys.get(publicKeyJson);
    if (cached !== undefined) return cached;
    const key = readEd25519(publicKeyJson);
    if (this.#keys.size >= this.#capacity) {
      const oldest = this.#keys.keys().next();
      if (!oldest.done) this.#keys.delete(oldest.value);
    }
    this.#keys.set(publicKeyJson, key);
    return key;
  }
}

const ED25519_PUBLIC_HEX = /^[0-9a-f]{64}$/i;

function readEd25519(publicKeyJson: string): KeyObject | null {
  try {
    const key = JSON.parse(publicKeyJson) as { keytype?: unknown; scheme?: unknown; keyval?: { public?: unknown } };
    const hex = key.keyval?.public;
    if (key.keytype !== 'ed25519' || key.scheme !== 'ed25519' || typeof hex !== 'string' || !ED25519_PUBLIC_HEX.test(hex)) return null;
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
  } catch {
    return null;
  }
}

const ED25519_SIGNATURE_BYTES = 64; // RFC 8032 5.1.6

/** RFC 8032 Ed25519 verification off the event loop; false (never a throw) for a bad signature. */
export function verifyEd25519(key: KeyObject, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return Promise.resolve(false);
  return new Promise((resolve) => {
    verify(null, data, key, signature, (error, valid) => resolve(error === null && valid));
  });
}
