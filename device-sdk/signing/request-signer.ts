/**
 * Signs device requests as protocol.md section 2 requires: HTTP Message Signatures
 * (RFC 9421) over `"@method" "@path" "content-digest"`, with the parameters `created`,
 * `nonce`, `keyid` (the device id) and `alg="ed25519"`, under the label `sig1`, and the
 * body's `Content-Digest` (RFC 9530). The signature base (RFC 9421 2.5) is built by the
 * `http-message-signatures` package; the key never leaves this process.
 *
 * ```
 * Content-Digest: sha-256=:<base64>:
 * Signature-Input: sig1=("@method" "@path" "content-digest");created=1767225600;nonce="<b64url>";keyid="dev_...";alg="ed25519"
 * Signature: sig1=:<base64 Ed25519 signature>:
 * ```
 *
 * @example
 * const signer = new RequestSigner({ deviceId, key: DeviceKey.fromPem(pem) });
 * const headers = await signer.sign({ method: 'POST', url: 'https://tms.example/v1/devices/dev_1/check-in', body });
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { httpbis } from 'http-message-signatures';
import { contentDigest } from './content-digest.js';
import type { DeviceKey } from './device-key.js';

/** RFC 9421 2.2: the derived components and fields this protocol covers, in this order. */
export const SIGNED_COMPONENTS = ['@method', '@path', 'content-digest'] as const;
/** RFC 9421 2.3: the signature parameters, in this order. */
export const SIGNATURE_PARAMETERS = ['created', 'nonce', 'keyid', 'alg'] as const;
export const SIGNATURE_LABEL = 'sig1';
/** Random bytes in each nonce (protocol.md: 16 or more). */
export const NONCE_BYTES = 16;

export interface SignableRequest {
  readonly method: string;
  /** Absolute URL; `@path` is its path (RFC 9421 2.2.6). */
  readonly url: string;
  readonly body?: Uint8Array | undefined;
}

export interface RequestSignerOptions {
  readonly deviceId: string;
  readonly key: DeviceKey;
  /** The clock for `created`. */
  readonly now?: () => Date;
  /** Randomness for the nonce. */
  readonly randomBytes?: (size: number) => Buffer;
}

export class RequestSigner {
  readonly deviceId: string;
  readonly #key: DeviceKey;
  readonly #now: () => Date;
  readonly #randomBytes: (size: number) => Buffer;

  constructor(options: RequestSignerOptions) {
    this.deviceId = options.deviceId;
    this.#key = options.key;
    this.#now = options.now ?? (() => new Date());
    this.#randomBytes = options.randomBytes ?? nodeRandomBytes;
  }

  /** The headers to add to `request`: `content-digest`, `signature-input` and `signature`. */
  async sign(request: SignableRequest): Promise<Record<string, string>> {
    const digest = contentDigest(request.body);
    const key = this.#key;
    const signed = await httpbis.signMessage(
      {
        key: { id: this.deviceId, alg: 'ed25519', sign: (data: Buffer) => Promise.resolve(key.sign(data)) },
        name: SIGNATURE_LABEL,
        fields: [...SIGNED_COMPONENTS],
        params: [...SIGNATURE_PARAMETERS],
        paramValues: {
          // RFC 9421 2.3: created is an Integer of Unix seconds.
          created: this.#now(),
          nonce: this.#randomBytes(NONCE_BYTES).toString('base64url'),
          keyid: this.deviceId,
          alg: 'ed25519',
        },
      },
      { method: request.method.toUpperCase(), url: request.url, headers: { 'content-digest': digest } },
    );
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    return headers;
  }
}
