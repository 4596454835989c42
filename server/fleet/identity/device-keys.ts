/**
 * Device keys as node:crypto KeyObjects, built once per key and kept in a bounded cache
 * (the key text is the cache key, so a re-keyed device never meets its old key), and the
 * Ed25519 verification of a request signature, run on libuv's thread pool so that the
 * event loop keeps serving while it runs.
 *
 * @example
 * const key = deviceKeys.keyObject(device.publicKey); // null when not an Ed25519 key
 * const ok = key !== null && (await verifyEd25519(key, signatureBase, signature));
 */
import { verify, type KeyObject } from 'node:crypto';
import { PublicKey } from '../../../manifests/index.js';

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

function readEd25519(publicKeyJson: string): KeyObject | null {
  try {
    const key = PublicKey.fromJSON(JSON.parse(publicKeyJson));
    return key.keyType === 'ed25519' ? key.keyObject() : null;
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
