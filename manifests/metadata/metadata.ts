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
import { canonicalBytes, canonicalString } from '../json/canonical.js';
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader } from '../json/object-reader.js';
import { defaultJsonLimits, parseJson, type JsonLimits } from '../json/parse-json.js';
import { splitCanonicalEnvelope } from '../json/signed-envelope.js';
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

/** A character canonical JSON writes raw and JSON parsers refuse. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

export class Metadata<T extends Signed = Signed> {
  readonly signed: T;
  readonly signatures: readonly Signature[];
  readonly unrecognised: JsonObject;
  #signedBytes: Buffer | undefined;
  #receivedSignedBytes: Buffer | undefined;

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

  /**
   * Parse with size and depth limits (see parseJson), then validate. An envelope in canonical
   * form (signed-envelope.ts) is parsed in its two parts, and `signed` is read from the very
   * bytes that `receivedSignedBytes()` returns, so signatures can be checked over them.
   */
  static fromBytes<K extends RoleType>(type: K, bytes: Uint8Array, limits: Partial<JsonLimits> = {}): Metadata<SignedByType[K]> {
    const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const { maxBytes, maxDepth } = { ...defaultJsonLimits, ...limits };
    const parts = input.byteLength <= maxBytes ? splitCanonicalEnvelope(input) : undefined;
    if (parts !== undefined) {
      let value: { signatures: unknown; signed: unknown } | undefined;
      try {
        // One level less than the limit: the envelope around each part is the first.
        const partLimits = { maxBytes, maxDepth: maxDepth - 1 };
        value = { signatures: parseJson(parts.signatures, partLimits), signed: parseJson(parts.signed, partLimits) };
      } catch {
        // Not two well-formed parts after all: read the whole document the usual way.
      }
      if (value !== undefined) {
        const metadata = Metadata.fromJSON(type, value);
        metadata.#receivedSignedBytes = Buffer.from(parts.signed);
        return metadata;
      }
    }
    return Metadata.fromJSON(type, parseJson(bytes, limits));
  }

  toJSON(): JsonObject {
    return { ...this.unrecognised, signatures: this.signatures.map((signature) => signature.toJSON()), signed: this.signed.toJSON() };
  }

  /**
   * The envelope as strict JSON (what Steward stores and serves): the canonical form whenever
   * that is valid JSON, so a reader can check signatures over `signed` exactly as received
   * (`receivedSignedBytes`). Canonical JSON writes control characters raw (an RSA PEM's
   * newlines), which JSON parsers refuse; such documents are written with JSON.stringify,
   * and their readers re-encode `signed` canonically.
   */
  toBytes(): Buffer {
    const envelope = this.toJSON();
    let canonical: string | undefined;
    try {
      canonical = canonicalString(envelope);
    } catch {
      // Not representable canonically (e.g. a fraction in unrecognised fields): plain JSON.
    }
    if (canonical !== undefined && !CONTROL_CHARACTER.test(canonical)) return Buffer.from(canonical, 'utf8');
    return Buffer.from(JSON.stringify(envelope), 'utf8');
  }

  /** TUF 4.2: the bytes that signatures cover. Computed once. */
  signedBytes(): Buffer {
    this.#signedBytes ??= canonicalBytes(this.signed.toJSON());
    return this.#signedBytes;
  }

  /**
   * The bytes of `signed` exactly as received, when the document came in canonical form
   * (`fromBytes`), else undefined. `signed` was parsed from these bytes, so a valid signature
   * over them vouches for this role just as one over `signedBytes()` does
   * (manifests/verify/threshold.ts tries them first).
   */
  receivedSignedBytes(): Buffer | undefined {
    return this.#receivedSignedBytes;
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
