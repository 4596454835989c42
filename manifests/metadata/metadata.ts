/**
 * The signed envelope every TUF document travels in (TUF 4.2):
 * `{ "signatures": [...], "signed": { "_type": ..., ... } }`. Signatures are over the
 * canonical JSON of `signed`. Instances are immutable; signing returns a new envelope.
 *
 * @example
 * const metadata = Metadata.fromBytes('timestamp', bytes);
 * verifyThreshold(metadata, root.authority('timestamp'), 'timestamp');
 * const resigned = await Metadata.create(newTimestamp).sign(onlineSigner);
 */
import { canonicalBytes } from '../json/canonical.js';
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader } from '../json/object-reader.js';
import { parseJson, type JsonLimits } from '../json/parse-json.js';
import type { Signer } from '../keys/signer.js';
import { Root } from './root.js';
import { Signature } from './signature.js';
import type { RoleType } from './signed-fields.js';
import { Snapshot } from './snapshot.js';
import { Targets } from './targets.js';
import { Timestamp } from './timestamp.js';

export type Signed = Root | Targets | Snapshot | Timestamp;
export interface SignedByType {
  root: Root;
  targets: Targets;
  snapshot: Snapshot;
  timestamp: Timestamp;
}

const readers: { [K in RoleType]: (value: unknown, path: string) => SignedByType[K] } = {
  root: (value, path) => Root.fromJSON(value, path),
  targets: (value, path) => Targets.fromJSON(value, path),
  snapshot: (value, path) => Snapshot.fromJSON(value, path),
  timestamp: (value, path) => Timestamp.fromJSON(value, path),
};

export class Metadata<T extends Signed = Signed> {
  readonly signed: T;
  readonly signatures: readonly Signature[];
  readonly unrecognised: JsonObject;
  #signedBytes: Buffer | undefined;

  constructor(signed: T, signatures: readonly Signature[] = [], unrecognised: JsonObject = {}) {
    this.signed = signed;
    this.signatures = signatures;
    this.unrecognised = unrecognised;
  }

  /** An unsigned envelope around `signed`. */
  static create<T extends Signed>(signed: T): Metadata<T> {
    return new Metadata(signed);
  }

  static fromJSON<K extends RoleType>(type: K, value: unknown): Metadata<SignedByType[K]> {
    const reader = ObjectReader.of(value, 'metadata');
    const signatures = reader.array('signatures').map((entry, index) => Signature.fromJSON(entry, `metadata.signatures[${index}]`));
    const signed = readers[type](reader.required('signed'), 'signed');
    return new Metadata(signed, signatures, reader.unrecognised());
  }

  /** Parse with size and depth limits (see parseJson), then validate. */
  static fromBytes<K extends RoleType>(type: K, bytes: Uint8Array, limits: Partial<JsonLimits> = {}): Metadata<SignedByType[K]> {
    return Metadata.fromJSON(type, parseJson(bytes, limits));
  }

  toJSON(): JsonObject {
    return { ...this.unrecognised, signatures: this.signatures.map((signature) => signature.toJSON()), signed: this.signed.toJSON() };
  }

  /**
   * The envelope as strict JSON (what Steward stores and serves). Not the canonical form:
   * canonical JSON writes control characters raw (an RSA PEM's newlines), which JSON parsers
   * refuse; signatures are over the canonical form of `signed`, recomputed on reading.
   */
  toBytes(): Buffer {
    return Buffer.from(JSON.stringify(this.toJSON()), 'utf8');
  }

  /** TUF 4.2: the bytes that signatures cover. Computed once. */
  signedBytes(): Buffer {
    this.#signedBytes ??= canonicalBytes(this.signed.toJSON());
    return this.#signedBytes;
  }

  /** A new envelope with `signer`'s signature added (replacing an earlier one by the same key). */
  async sign(signer: Signer): Promise<Metadata<T>> {
    const keyId = signer.publicKey.keyId();
    const sig = await signer.sign(this.signedBytes());
    const others = this.signatures.filter((signature) => signature.keyId !== keyId);
    return new Metadata(this.signed, [...others, new Signature({ keyId, sig })], this.unrecognised);
  }

  /** Sign with several signers in turn (for thresholds above one). */
  async signAll(signers: readonly Signer[]): Promise<Metadata<T>> {
    let metadata = new Metadata(this.signed, this.signatures, this.unrecognised);
    for (const signer of signers) metadata = await metadata.sign(signer);
    return metadata;
  }
}
