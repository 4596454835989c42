/**
 * `DirectorVerifier`: accepts a director document (protocol.md section 4; Uptane's director
 * repository) only when
 *
 *   1. it parses as a TUF `targets` envelope within size and depth limits;
 *   2. a threshold of the director root's `targets` keys signed it (TUF 5.6.3);
 *   3. `custom.device_id` is this device (a document for another device is never used);
 *   4. it has not expired at the injected clock's time (TUF 5.6.6: freeze);
 *   5. its version is not below the last accepted one, and equal only for the identical
 *      document (TUF 5.6.5: rollback), the last accepted one being persisted;
 *   6. its director fields read (`DirectorTargets.fromTargets`).
 *
 * Director root rotation (TUF 5.3 applied to the director's root): when a document's
 * signatures do not meet the trusted root's threshold and a `fetchRoot` is given, the
 * verifier asks for N+1.root.json, N+2.root.json, ... (each signed by a threshold of the
 * previous and of its own root keys, version + 1, persisted as it is accepted) and checks the
 * document again under the newest. A document accepted under an older root stops being
 * current once the root has rotated away from its keys. The director root's own expiry is
 * not enforced: director documents expire within hours, which is what stops a freeze.
 *
 * Every refusal is `STW_DEVICE_DIRECTOR_INVALID` with `details.reason` (`DirectorRefusal`).
 *
 * @example
 * const verifier = new DirectorVerifier({ root: identity.directorRoot.metadata, deviceId, store, now: () => new Date() });
 * const accepted = await verifier.verify(responseBody.director);
 * for (const image of accepted.director.images) ...
 */
import { countSignatures, DirectorTargets, isExpired, Metadata, type Root, type Targets } from '../../manifests/index.js';
import { DeviceError } from '../errors.js';
import { DirectorRootChain } from './director-root-chain.js';
import type { DirectorStore } from './director-store.js';

export type DirectorRefusal = 'malformed' | 'signature' | 'expired' | 'other-device' | 'rollback' | 'version-reused' | 'instructions' | 'root-rotation';

export interface AcceptedDirector {
  readonly director: DirectorTargets;
  readonly metadata: Metadata<Targets>;
  readonly version: number;
  /** False when this is the document accepted last time (nothing new to act on). */
  readonly changed: boolean;
}

export interface DirectorVerifierOptions {
  /** The director's `root.json` from the trust bundle (a rotated root in the store takes precedence). */
  readonly root: Metadata<Root>;
  readonly deviceId: string;
  readonly store: DirectorStore;
  readonly now?: () => Date;
  /** Bytes of the director's `<version>.root.json`, or undefined when there is none (404). */
  readonly fetchRoot?: (version: number) => Promise<Uint8Array | undefined>;
  /** Largest document accepted; bytes. */
  readonly maxBytes?: number;
  /** Root versions walked in one rotation, at most. */
  readonly maxRootRotations?: number;
}

const DEFAULT_MAX_BYTES = 512 * 1024;
const MAX_DEPTH = 32;

export class DirectorVerifier {
  readonly #options: DirectorVerifierOptions;
  readonly #now: () => Date;
  readonly #roots: DirectorRootChain;

  constructor(options: DirectorVerifierOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#roots = new DirectorRootChain({ root: options.root, store: options.store, fetchRoot: options.fetchRoot, maxRotations: options.maxRootRotations });
  }

  /** Check `document` (bytes, or the parsed JSON of the check-in answer) and remember it when accepted. */
  async verify(document: Uint8Array | unknown): Promise<AcceptedDirector> {
    const bytes = document instanceof Uint8Array ? Buffer.from(document) : Buffer.from(JSON.stringify(document), 'utf8');
    const metadata = parse(bytes, this.#options.maxBytes ?? DEFAULT_MAX_BYTES);
    await this.#signedByDirector(metadata);
    this.#forThisDevice(metadata);
    if (isExpired(metadata.signed.expires, this.#now())) throw refusal('expired', `the director document expired at ${metadata.signed.expires}`, { expires: metadata.signed.expires });
    const last = await this.#lastAccepted();
    let changed = true;
    if (last !== undefined) {
      const version = metadata.signed.version;
      if (version < last.signed.version) throw refusal('rollback', `director version ${version} is below the accepted ${last.signed.version}`, { version, accepted: last.signed.version });
      if (version === last.signed.version) {
        if (!metadata.signedBytes().equals(last.signedBytes())) throw refusal('version-reused', `director version ${version} was accepted with other content`, { version });
        changed = false;
      }
    }
    const director = readDirector(metadata.signed);
    if (changed) await this.#options.store.write(bytes);
    return { director, metadata, version: metadata.signed.version, changed };
  }

  /** The last accepted document while it is unexpired and signed under the current root; otherwise undefined. */
  async current(): Promise<AcceptedDirector | undefined> {
    const last = await this.#lastAccepted();
    if (last === undefined || isExpired(last.signed.expires, this.#now())) return undefined;
    if (!countSignatures(last, (await this.#roots.trusted()).signed.authority('targets')).met) return undefined;
    return { director: readDirector(last.signed), metadata: last, version: last.signed.version, changed: false };
  }

  /** The version of the last accepted document (0 when none). */
  async acceptedVersion(): Promise<number> {
    return (await this.#lastAccepted())?.signed.version ?? 0;
  }

  /** The version of the director root trusted now. */
  async rootVersion(): Promise<number> {
    return (await this.#roots.trusted()).signed.version;
  }

  /** Step 2, following a root rotation when the trusted root's keys do not suffice. */
  async #signedByDirector(metadata: Metadata<Targets>): Promise<void> {
    let root = await this.#roots.trusted();
    if (meets(metadata, root)) return;
    if (this.#roots.canRotate) {
      root = await this.#roots.rotate();
      if (meets(metadata, root)) return;
    }
    const authority = root.signed.authority('targets');
    throw refusal('signature', `the director document lacks ${authority.threshold} valid signatures of the director`, { threshold: authority.threshold, rootVersion: root.signed.version });
  }

  #forThisDevice(metadata: Metadata<Targets>): void {
    const deviceId = deviceIdOf(metadata.signed);
    if (deviceId !== this.#options.deviceId) throw refusal('other-device', `the director document is for ${String(deviceId)}`, { deviceId, expected: this.#options.deviceId });
  }

  /** The last accepted document (verified when it was accepted; read back from our own store). */
  async #lastAccepted(): Promise<Metadata<Targets> | undefined> {
    const bytes = await this.#options.store.read();
    if (bytes === undefined) return undefined;
    try {
      return Metadata.fromBytes('targets', bytes);
    } catch (cause) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', 'the stored director document cannot be read', { cause, details: { path: this.#options.store.path } });
    }
  }
}

function parse(bytes: Buffer, maxBytes: number): Metadata<Targets> {
  try {
    return Metadata.fromBytes('targets', bytes, { maxBytes, maxDepth: MAX_DEPTH });
  } catch (cause) {
    throw refusal('malformed', 'the director document is not a targets document', {}, cause);
  }
}

function meets(metadata: Metadata<Targets>, root: Metadata<Root>): boolean {
  return countSignatures(metadata, root.signed.authority('targets')).met;
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
