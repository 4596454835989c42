/**
 * A public key as TUF writes it in `keys` (TUF 4.2 KEY): `keytype`, `scheme` and
 * `keyval.public`. Supported: `ed25519` (scheme `ed25519`, public value = 64 hex digits of
 * the raw key) and `rsa` (scheme `rsassa-pss-sha256`, public value = SPKI PEM). Keys of other
 * types round-trip unchanged but never verify anything.
 *
 * The node:crypto KeyObject is built once per key and cached.
 *
 * @example
 * const key = PublicKey.fromJSON(root.keys[keyid]);
 * key.verify(canonicalBytes(signed), signatureHex); // true | false, never throws
 */
import { createHash, createPublicKey, verify, constants, type KeyObject } from 'node:crypto';
import { ManifestError } from '../errors.js';
import { canonicalBytes } from '../json/canonical.js';
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader } from '../json/object-reader.js';

export type SupportedKeyType = 'ed25519' | 'rsa';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex'); // RFC 8410 SubjectPublicKeyInfo header
const HEX = /^(?:[0-9a-f]{2})*$/i;
const ED25519_PUBLIC_HEX = /^[0-9a-f]{64}$/i;
const ED25519_SIGNATURE_BYTES = 64;

export class PublicKey {
  readonly keyType: string;
  readonly scheme: string;
  readonly publicValue: string;
  readonly unrecognised: JsonObject;
  readonly keyvalUnrecognised: JsonObject;
  #keyObject: KeyObject | null | undefined;
  #keyId: string | undefined;
  #identity: string | undefined;

  constructor(options: { keyType: string; scheme: string; publicValue: string; unrecognised?: JsonObject; keyvalUnrecognised?: JsonObject }) {
    this.keyType = options.keyType;
    this.scheme = options.scheme;
    this.publicValue = options.publicValue;
    this.unrecognised = options.unrecognised ?? {};
    this.keyvalUnrecognised = options.keyvalUnrecognised ?? {};
  }

  static fromJSON(value: unknown, path = 'key'): PublicKey {
    const reader = ObjectReader.of(value, path);
    const keyType = reader.string('keytype', { nonEmpty: true });
    const scheme = reader.string('scheme', { nonEmpty: true });
    const keyval = reader.object('keyval');
    const publicValue = keyval.string('public', { nonEmpty: true });
    return new PublicKey({ keyType, scheme, publicValue, unrecognised: reader.unrecognised(), keyvalUnrecognised: keyval.unrecognised() });
  }

  /** The public half of a node:crypto key, in TUF's encoding for its type. */
  static fromKeyObject(key: KeyObject): PublicKey {
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    switch (publicKey.asymmetricKeyType) {
      case 'ed25519': {
        const der = publicKey.export({ format: 'der', type: 'spki' });
        return new PublicKey({ keyType: 'ed25519', scheme: 'ed25519', publicValue: der.subarray(ED25519_SPKI_PREFIX.length).toString('hex') });
      }
      case 'rsa':
        return new PublicKey({ keyType: 'rsa', scheme: 'rsassa-pss-sha256', publicValue: publicKey.export({ format: 'pem', type: 'spki' }).toString() });
      default:
        throw new ManifestError('STW_MANIFEST_UNSUPPORTED_KEY', `key type ${String(publicKey.asymmetricKeyType)} is not supported`);
    }
  }

  toJSON(): JsonObject {
    return {
      ...this.unrecognised,
      keytype: this.keyType,
      scheme: this.scheme,
      keyval: { ...this.keyvalUnrecognised, public: this.publicValue },
    };
  }

  /** TUF 4.2: the key ID is the hex SHA-256 of the key's canonical JSON. */
  keyId(): string {
    this.#keyId ??= createHash('sha256').update(canonicalBytes(this.toJSON())).digest('hex');
    return this.#keyId;
  }

  /**
   * What makes two keys the same key, whatever their IDs: the SPKI DER of the key material
   * (or the raw public value for unsupported types).
   */
  identity(): string {
    if (this.#identity === undefined) {
      const key = this.keyObject();
      this.#identity = key === null ? `${this.keyType}:${this.publicValue}` : identities.get(key) ?? identityOf(key);
    }
    return this.#identity;
  }

  isSupported(): boolean {
    return this.keyObject() !== null;
  }

  /** Whether `signatureHex` is a valid signature of `data` by this key. Never throws. */
  verify(data: Uint8Array, signatureHex: string): boolean {
    const key = this.keyObject();
    if (key === null || !HEX.test(signatureHex)) return false;
    const signature = Buffer.from(signatureHex, 'hex');
    try {
      if (this.keyType === 'ed25519') {
        return signature.length === ED25519_SIGNATURE_BYTES && verify(null, data, key, signature);
      }
      return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
    } catch {
      return false;
    }
  }

  /** The cached node:crypto key, or null when the type/scheme/value is not one we support. */
  keyObject(): KeyObject | null {
    if (this.#keyObject === undefined) this.#keyObject = cachedKeyObject(this);
    return this.#keyObject;
  }
}

// Every refresh parses the same few keys again; parse each distinct key material once per process.
const KEY_CACHE_LIMIT = 1024;
const keyObjects = new Map<string, KeyObject | null>();

function cachedKeyObject(key: PublicKey): KeyObject | null {
  const cacheKey = `${key.keyType}\u0000${key.scheme}\u0000${key.publicValue}`;
  let keyObject = keyObjects.get(cacheKey);
  if (keyObject === undefined) {
    keyObject = buildKeyObject(key);
    if (keyObjects.size >= KEY_CACHE_LIMIT) keyObjects.delete(keyObjects.keys().next().value as string);
    keyObjects.set(cacheKey, keyObject);
  }
  return keyObject;
}

const identities = new WeakMap<KeyObject, string>();

function identityOf(key: KeyObject): string {
  const identity = key.export({ format: 'der', type: 'spki' }).toString('base64');
  identities.set(key, identity);
  return identity;
}

function buildKeyObject(key: PublicKey): KeyObject | null {
  try {
    if (key.keyType === 'ed25519' && key.scheme === 'ed25519' && ED25519_PUBLIC_HEX.test(key.publicValue)) {
      const der = Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(key.publicValue, 'hex')]);
      return createPublicKey({ key: der, format: 'der', type: 'spki' });
    }
    if (key.keyType === 'rsa' && key.scheme === 'rsassa-pss-sha256' && key.publicValue.startsWith('-----BEGIN PUBLIC KEY-----')) {
      const keyObject = createPublicKey(key.publicValue);
      return keyObject.asymmetricKeyType === 'rsa' ? keyObject : null;
    }
  } catch {
    return null;
  }
  return null;
}
