/**
 * Authenticates device requests (route `access: 'device'`) as protocol.md section 2 says:
 * RFC 9421 HTTP Message Signatures over `"@method" "@path" "content-digest"` with the
 * parameters `created`, `nonce`, `keyid` (= the `:deviceId` of the route) and
 * `alg="ed25519"`, verified with the device key registered at enrolment. The signature base
 * (RFC 9421 2.5) is built by the `http-message-signatures` package from Fastify's request
 * (method, URL, headers); the clock, window and nonce checks are ours so the clock can be
 * injected. The body's RFC 9530 digest is checked once the body has been read
 * (`checkBodyDigest`, a preValidation step).
 *
 * Order, cheapest refusal first: no signature (401 STW_AUTH_REQUIRED) -> parameters, key id,
 * `created` window (STW_DEVICE_SIGNATURE_EXPIRED) -> device row -> signature
 * (STW_DEVICE_SIGNATURE_INVALID) -> status (403 STW_DEVICE_DISABLED) -> nonce
 * (STW_DEVICE_REPLAYED). An unknown device looks exactly like a bad signature.
 *
 * @example
 * const authenticator = new DeviceAuthenticator({ devices: new DeviceRecords(db), clock, windowSeconds: 300, nonces, keys });
 * await authenticator.authenticate(request); // request.device is set
 */
import type { FastifyRequest } from 'fastify';
import { httpbis, type SignatureParameters } from 'http-message-signatures';
import type { DeviceRequestAuthenticator } from '../../auth/authenticate.js';
import { isStewardError, stewardError, type StewardError } from '../../errors.js';
import type { DeviceRecord, DeviceRecords } from '../devices/device-record.js';
import { contentDigestMatches } from './content-digest.js';
import { verifyEd25519, type DeviceKeyCache } from './device-keys.js';
import type { NonceLedger } from './nonce-ledger.js';
import './request-device.js';

/** RFC 9421 2.2 / 2.1: what every device signature must cover. */
const REQUIRED_COMPONENTS = ['@method', '@path', 'content-digest'];
/** RFC 9421 2.3: the parameters protocol.md requires. */
const REQUIRED_PARAMETERS = ['created', 'nonce', 'keyid', 'alg'];
/** protocol.md 2: base64url of 16 or more random bytes. */
const NONCE = /^[A-Za-z0-9_-]{22,128}$/;

export interface DeviceAuthenticatorOptions {
  readonly devices: DeviceRecords;
  readonly clock: () => Date;
  /** Accepted |now - created|, in seconds. */
  readonly windowSeconds: number;
  readonly nonces: NonceLedger;
  readonly keys: DeviceKeyCache;
}

export class DeviceAuthenticator implements DeviceRequestAuthenticator {
  readonly #options: DeviceAuthenticatorOptions;

  constructor(options: DeviceAuthenticatorOptions) {
    this.#options = options;
  }

  async authenticate(request: FastifyRequest): Promise<void> {
    const headers = request.headers;
    if (headers['signature'] === undefined && headers['signature-input'] === undefined) {
      throw stewardError('STW_AUTH_REQUIRED', 'device requests are signed (RFC 9421)');
    }
    const deviceId = (request.params as Record<string, string | undefined>)['deviceId'];
    if (deviceId === undefined) throw stewardError('STW_INTERNAL', 'a device route has no :deviceId');
    const now = this.#options.clock();
    let device: DeviceRecord | undefined;
    let accepted: { nonce: string; created: number } | undefined;
    let lookups = 0;
    let verified: boolean | null;
    try {
      verified = await httpbis.verifyMessage(
        {
          keyLookup: async (params) => {
            if (++lookups > 1) throw invalid('one signature per request', 'signature-count');
            accepted = this.#checkParameters(params, deviceId, now);
            device = await this.#options.devices.load(deviceId);
            const key = device && this.#options.keys.keyObject(device.publicKey);
            if (!key) throw invalid('the signature does not verify', 'signature');
            return { id: deviceId, algs: ['ed25519'], verify: (data, signature) => verifyEd25519(key, data, signature) };
          },
          requiredParams: REQUIRED_PARAMETERS,
          requiredFields: REQUIRED_COMPONENTS,
          // The window is checked above against the injected clock, not the library's Date.now().
          notAfter: Number.MAX_SAFE_INTEGER,
        },
        { method: request.method, url: `http://device.invalid${request.url}`, headers: headers as Record<string, string | string[]> },
      );
    } catch (error) {
      if (isStewardError(error)) throw error;
      throw invalid('the signature could not be verified', (error as Error).name, error);
    }
    if (verified !== true || device === undefined || accepted === undefined) throw invalid('the signature does not verify', 'signature');
    if (device.status !== 'active') throw stewardError('STW_DEVICE_DISABLED', `device ${deviceId} is ${device.status}`, { status: device.status });
    const expiresAt = new Date((accepted.created + this.#options.windowSeconds) * 1000).toISOString();
    if (!(await this.#options.nonces.record(deviceId, accepted.nonce, expiresAt))) {
      throw stewardError('STW_DEVICE_REPLAYED', 'this request was already received');
    }
    request.device = device;
  }

  /** RFC 9530: the body as received must match the signed Content-Digest. */
  checkBodyDigest(request: FastifyRequest): void {
    if (!contentDigestMatches(request.headers['content-digest'], request.rawBody)) throw invalid('the body does not match its Content-Digest', 'digest');
  }

  #checkParameters(params: SignatureParameters, deviceId: string, now: Date): { nonce: string; created: number } {
    if (params.alg !== 'ed25519') throw invalid('alg must be ed25519', 'alg');
    if (params.keyid !== deviceId) throw invalid('keyid must be the device in the path', 'keyid');
    const nonce = params.nonce;
    if (typeof nonce !== 'string' || !NONCE.test(nonce)) throw invalid('nonce must be base64url of 16 or more bytes', 'nonce');
    // The library turns `created` (RFC 9421 2.3: an Integer of Unix seconds) into a Date.
    const created = params.created instanceof Date ? params.created.getTime() / 1000 : Number.NaN;
    if (!Number.isInteger(created)) throw invalid('created must be an integer of Unix seconds', 'created');
    if (Math.abs(now.getTime() / 1000 - created) > this.#options.windowSeconds) {
      throw stewardError('STW_DEVICE_SIGNATURE_EXPIRED', `created is more than ${this.#options.windowSeconds} s from the server clock`, { windowSeconds: this.#options.windowSeconds });
    }
    return { nonce, created };
  }
}

function invalid(message: string, reason: string, cause?: unknown): StewardError {
  return stewardError('STW_DEVICE_SIGNATURE_INVALID', message, { reason }, cause);
}
