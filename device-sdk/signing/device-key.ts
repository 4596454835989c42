/**
 * The device key: an Ed25519 key pair the terminal generates at enrolment and keeps for life
 * (until the operator asks for a re-key). The private half is stored as PKCS#8 PEM
 * (RFC 5958, RFC 8410); the public half travels in TUF's key encoding
 * (`{ keytype: "ed25519", scheme: "ed25519", keyval: { public: <64 hex> } }`).
 *
 * @example
 * const key = DeviceKey.generate();
 * const proof = key.signHex(challengeBytes); // protocol.md 1.2 deviceKeySignature
 * await store.saveKey(key.toPem());
 */
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { PublicKey, type JsonObject } from '../../manifests/index.js';
import { DeviceError } from '../errors.js';

export class DeviceKey {
  readonly privateKey: KeyObject;
  readonly publicKey: PublicKey;

  private constructor(privateKey: KeyObject) {
    this.privateKey = privateKey;
    this.publicKey = PublicKey.fromKeyObject(privateKey);
  }

  static generate(): DeviceKey {
    return new DeviceKey(generateKeyPairSync('ed25519').privateKey);
  }

  /** From a PKCS#8 PEM; refuses anything but an Ed25519 private key. */
  static fromPem(pem: string): DeviceKey {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: pem, format: 'pem' });
    } catch (cause) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', 'the stored device key cannot be read', { cause });
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `the device key is ${String(key.asymmetricKeyType)}, not ed25519`);
    }
    return new DeviceKey(key);
  }

  toPem(): string {
    return this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  /** The public key as protocol.md 1.2 `deviceKey` (TUF key encoding). */
  publicKeyJson(): JsonObject {
    return this.publicKey.toJSON();
  }

  /** Ed25519 (RFC 8032) over `data`. */
  sign(data: Uint8Array): Buffer {
    return sign(null, data, this.privateKey);
  }

  /** Ed25519 over `data`, hex encoded (protocol.md 1.2 `deviceKeySignature`). */
  signHex(data: Uint8Array): string {
    return this.sign(data).toString('hex');
  }
}
