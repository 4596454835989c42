/**
 * Keeps the device identity in a state directory, durably (DurableFs: temp, fsync, rename,
 * fsync dir), in a directory only the terminal's user may read:
 *
 *   <directory>/device-key.pem   PKCS#8 PEM of the Ed25519 device key
 *   <directory>/identity.json    device id, serial, model, server URL, endpoints, trust roots
 *
 * The key is written first, before the enrolment request, so that an enrolment whose answer
 * is lost (power cut, broken connection) is retried with the same key; `identity.json` is
 * written last and is what makes the terminal enrolled.
 *
 * @example
 * const store = new IdentityStore('/var/steward/identity');
 * const identity = await store.load(); // undefined until enrolled
 */
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DurableFs } from '../durable/durable-fs.js';
import { DeviceError } from '../errors.js';
import { DeviceKey } from '../signing/index.js';
import { identityFromJson, identityToJson, type DeviceIdentity } from './device-identity.js';

export class IdentityStore {
  readonly directory: string;
  readonly #fs: DurableFs;

  constructor(directory: string, options: { fs?: DurableFs } = {}) {
    this.directory = directory;
    this.#fs = options.fs ?? new DurableFs();
  }

  get keyPath(): string {
    return join(this.directory, 'device-key.pem');
  }

  get identityPath(): string {
    return join(this.directory, 'identity.json');
  }

  /** The identity, or undefined when the terminal has not finished enrolling. */
  async load(): Promise<DeviceIdentity | undefined> {
    const text = await readOptional(this.identityPath);
    if (text === undefined) return undefined;
    const key = await this.loadKey();
    if (key === undefined) throw new DeviceError('STW_DEVICE_STATE_INVALID', 'an identity is stored without its device key', { details: { path: this.keyPath } });
    let wire: unknown;
    try {
      wire = JSON.parse(text);
    } catch (cause) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `${this.identityPath} is not JSON`, { cause });
    }
    return identityFromJson(wire, key);
  }

  /** The device key, if one was generated. */
  async loadKey(): Promise<DeviceKey | undefined> {
    const pem = await readOptional(this.keyPath);
    return pem === undefined ? undefined : DeviceKey.fromPem(pem);
  }

  /** The stored key, or a new one stored before it is used. */
  async keyForEnrolment(): Promise<DeviceKey> {
    const existing = await this.loadKey();
    if (existing) return existing;
    const key = DeviceKey.generate();
    await this.#prepare();
    await this.#fs.writeFileAtomic(this.keyPath, Buffer.from(key.toPem()));
    return key;
  }

  async save(identity: DeviceIdentity): Promise<void> {
    await this.#prepare();
    const stored = await this.loadKey();
    if (stored === undefined || stored.publicKey.keyId() !== identity.key.publicKey.keyId()) {
      await this.#fs.writeFileAtomic(this.keyPath, Buffer.from(identity.key.toPem()));
    }
    await this.#fs.writeFileAtomic(this.identityPath, Buffer.from(`${JSON.stringify(identityToJson(identity))}\n`));
  }

  /** Forget the identity (re-key or swap): the key and the identity file go. */
  async clear(): Promise<void> {
    await this.#fs.unlinkDurably(this.identityPath);
    await this.#fs.unlinkDurably(this.keyPath);
  }

  async #prepare(): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 }).catch((cause: unknown) => {
      throw new DeviceError('STW_DEVICE_STORE_FAILED', `cannot create ${this.directory}`, { cause });
    });
    await chmod(this.directory, 0o700).catch(() => {});
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DeviceError('STW_DEVICE_STORE_FAILED', `cannot read ${path}`, { cause: error, details: { path } });
  }
}
