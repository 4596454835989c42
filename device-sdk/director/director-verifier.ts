/**
 * `DirectorVerifier`: accepts a director document (protocol.md section 4; Uptane's director
 * repository) only when
 *
 *   1. it parses as a TUF `targets` envelope within size and depth limits;
 *   2. a threshold of the director root's `targets` keys signed it (TUF 5.6.3);
 *   3. it has not expired at the injected clock's time (TUF 5.6.6: freeze);
 *   4. `custom.device_id` is this device (a document for another device is never used);
 *   5. its version is not below the last accepted one, and equal only for the identical
 *      document (TUF 5.6.5: rollback), the last accepted one being persisted;
 *   6. its director fields read (`DirectorTargets.fromTargets`).
 *
 * Every refusal is `STW_DEVICE_DIRECTOR_INVALID` with `details.reason` (`DirectorRefusal`).
 * The director root comes from enrolment; rotating it through a chain of director roots is
 * not offered by protocol v1.
 *
 * @example
 * const verifier = new DirectorVerifier({ root: identity.directorRoot.metadata, deviceId, store, now: () => new Date() });
 * const accepted = await verifier.verify(responseBody.director);
 * for (const image of accepted.director.images) ...
 */
import { countSignatures, DirectorTargets, isExpired, Metadata, type Root, type Targets } from '../../manifests/index.js';
import { DeviceError } from '../errors.js';
import type { DirectorStore } from './director-store.js';

export type DirectorRefusal = 'malformed' | 'signature' | 'expired' | 'other-device' | 'rollback' | 'version-reused' | 'instructions';

export interface AcceptedDirector {
  readonly director: DirectorTargets;
  readonly metadata: Metadata<Targets>;
  readonly version: number;
  /** False when this is the document accepted last time (nothing new to act on). */
  readonly changed: boolean;
}

export interface DirectorVerifierOptions {
  /** The director's `root.json` from the trust bundle. */
  readonly root: Metadata<Root>;
  readonly deviceId: string;
  readonly store: DirectorStore;
  readonly now?: () => Date;
  /** Largest document accepted; bytes. */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 512 * 1024;
const MAX_DEPTH = 32;

export class DirectorVerifier {
  readonly #options: DirectorVerifierOptions;
  readonly #now: () => Date;

  constructor(options: DirectorVerifierOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Check `document` (bytes, or the parsed JSON of the check-in answer) and remember it when accepted. */
  async verify(document: Uint8Array | unknown): Promise<AcceptedDirector> {
    const bytes = document instanceof Uint8Array ? Buffer.from(document) : Buffer.from(JSON.stringify(document), 'utf8');
    const metadata = this.#authentic(bytes);
    this.#fresh(metadata);
    const last = await this.#lastAccepted();
    let changed = true;
    if (last !== undefined) {
      const version = metadata.signed.version;
      if (version < last.signed.version) throw refusal('rollback', `director version ${version} is below the accepted ${last.signed.version}`, { version, accepted: last.signed.version });
      if (version === last.signed.version) {
        if (!metadata.signedBytes().equals(last.signedBytes())) {
          throw refusal('version-reused', `director version ${version} was accepted with other content`, { version });
        }
        changed = false;
      }
    }
    const director = readDirector(metadata.signed);
    if (changed) await this.#options.store.write(bytes);
    return { director, metadata, version: metadata.signed.version, changed };
  }

  /** The last accepted document, re-checked against the root, this device and the clock; undefined when none or expired. */
  async current(): Promise<AcceptedDirector | undefined> {
    const last = await this.#lastAccepted();
    if (last === undefined || isExpired(last.signed.expires, this.#now())) return undefined;
    return { director: readDirector(last.signed), metadata: last, version: last.signed.version, changed: false };
  }

  /** The version of the last accepted document (0 when none). */
  async acceptedVersion(): Promise<number> {
    return (await this.#lastAccepted())?.signed.version ?? 0;
  }

  /** Steps 1, 2 and 4: parsed, signed by the director, for this device. */
  #authentic(bytes: Buffer): Metadata<Targets> {
    let metadata: Metadata<Targets>;
    try {
      metadata = Metadata.fromBytes('targets', bytes, { maxBytes: this.#options.maxBytes ?? DEFAULT_MAX_BYTES, maxDepth: MAX_DEPTH });
    } catch (cause) {
      throw refusal('malformed', 'the director document is not a targets document', {}, cause);
    }
    const authority = this.#options.root.signed.authority('targets');
    const counted = countSignatures(metadata, authority);
    if (!counted.met) {
      throw refusal('signature', `the director document has ${counted.validKeyIds.length} valid signatures, needs ${authority.threshold}`, {
        valid: counted.validKeyIds.length,
        threshold: authority.threshold,
      });
    }
    const deviceId = deviceIdOf(metadata.signed);
    if (deviceId !== this.#options.deviceId) throw refusal('other-device', `the director document is for ${String(deviceId)}`, { deviceId, expected: this.#options.deviceId });
    return metadata;
  }

  /** Step 3. */
  #fresh(metadata: Metadata<Targets>): void {
    if (isExpired(metadata.signed.expires, this.#now())) throw refusal('expired', `the director document expired at ${metadata.signed.expires}`, { expires: metadata.signed.expires });
  }

  async #lastAccepted(): Promise<Metadata<Targets> | undefined> {
    const bytes = await this.#options.store.read();
    if (bytes === undefined) return undefined;
    try {
      return this.#authentic(bytes);
    } catch (cause) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', 'the stored director document no longer verifies', { cause, details: { path: this.#options.store.path } });
    }
  }
}

function deviceIdOf(targets: Targets): unknown {
  const custom = targets.unrecognised['custom'];
  return typeof custom === 'object' && custom !== null && !Array.isArray(custom) ? (custom as Record<string, unknown>)['device_id'] : undefined;
}

function readDirector(targets: Targets): DirectorTargets {
  try {
    return DirectorTargets.fromTargets(targets);
  } catch (cause) {
    throw refusal('instructions', 'the director fields are invalid', {}, cause);
  }
}

function refusal(reason: DirectorRefusal, message: string, details: Record<string, unknown>, cause?: unknown): DeviceError {
  return new DeviceError('STW_DEVICE_DIRECTOR_INVALID', message, { ...(cause === undefined ? {} : { cause }), details: { reason, ...details } });
}

