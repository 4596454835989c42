/** One entry of `signatures` (TUF 4.2): the signing key's ID and the hex signature. */
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader } from '../json/object-reader.js';

export class Signature {
  readonly keyId: string;
  readonly sig: string;
  readonly unrecognised: JsonObject;

  constructor(options: { keyId: string; sig: string; unrecognised?: JsonObject }) {
    this.keyId = options.keyId;
    this.sig = options.sig;
    this.unrecognised = options.unrecognised ?? {};
  }

  static fromJSON(value: unknown, path: string): Signature {
    const reader = ObjectReader.of(value, path);
    // The signature value is not validated here: a malformed one simply never verifies.
    return new Signature({ keyId: reader.string('keyid'), sig: reader.string('sig'), unrecognised: reader.unrecognised() });
  }

  toJSON(): JsonObject {
    return { ...this.unrecognised, keyid: this.keyId, sig: this.sig };
  }
}
