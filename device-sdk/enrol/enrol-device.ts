/**
 * The enrolment client (protocol.md section 1): ask for a challenge, prove possession of a
 * freshly generated Ed25519 device key (and, for zero-touch, of the manufacturing key behind
 * the vendor certificate chain) by signing the challenge, register the key, and keep the
 * identity and trust bundle the server returns.
 *
 *   key = stored key ?? new key (stored first)      IdentityStore.keyForEnrolment
 *   POST /v1/devices/enrolment/challenge            -> { challenge, expiresAt }
 *   POST /v1/devices/enrol                          certificate or token method
 *   validate the answer (trust roots self-signed)   -> identity.json written last
 *
 * The manufacturing-key signature uses `manifests/x509/challenge-signature.js` (node:crypto
 * only), never the x509 index, which would load node-forge on the terminal.
 *
 * @example
 * const identity = await enrolDevice({
 *   serverUrl: 'https://tms.example',
 *   store: new IdentityStore('/var/steward/identity'),
 *   method: { kind: 'certificate', certificateChainPem: [leafPem, intermediatePem], manufacturingKeyPem },
 * });
 */
import { signChallenge } from '../../manifests/x509/challenge-signature.js';
import { DeviceError } from '../errors.js';
import { FetchApiTransport, exchangeJson, jsonBody, type ApiTransport } from '../signing/index.js';
import { endpointUrl, type DeviceIdentity } from './device-identity.js';
import { readEnrolmentAnswer } from './enrolment-answer.js';
import type { IdentityStore } from './identity-store.js';

export type EnrolmentMethod =
  | {
      readonly kind: 'certificate';
      /** Leaf first, then intermediates (PEM). */
      readonly certificateChainPem: readonly string[];
      /** The manufacturing certificate's RSA private key (PEM). */
      readonly manufacturingKeyPem: string;
    }
  | {
      readonly kind: 'token';
      /** `stw_enrol_...`, issued by the operator. */
      readonly token: string;
      readonly serial: string;
      readonly hardwareModel: string;
    };

export interface EnrolOptions {
  readonly serverUrl: string;
  readonly method: EnrolmentMethod;
  readonly store: IdentityStore;
  readonly transport?: ApiTransport;
}

/** Smallest challenge accepted, bytes (protocol.md 1.1 sends 32). */
const MIN_CHALLENGE_BYTES = 16;

/** Enrol unless already enrolled; returns the stored identity. */
export async function enrolDevice(options: EnrolOptions): Promise<DeviceIdentity> {
  const existing = await options.store.load();
  if (existing) return existing;
  const transport = options.transport ?? new FetchApiTransport();
  const key = await options.store.keyForEnrolment();
  const base = { serverUrl: options.serverUrl };

  const challengeUrl = endpointUrl(base, '/v1/devices/enrolment/challenge');
  const issued = jsonBody(await refusedAsEnrolment(exchangeJson(transport, { method: 'POST', url: challengeUrl, json: {} })), challengeUrl) as { challenge?: unknown };
  const challenge = typeof issued.challenge === 'string' ? issued.challenge : '';
  const challengeBytes = Buffer.from(challenge, 'base64url');
  if (challengeBytes.byteLength < MIN_CHALLENGE_BYTES) {
    throw new DeviceError('STW_DEVICE_ENROLMENT_FAILED', 'the server sent no usable challenge', { details: { reason: 'challenge-invalid' } });
  }

  const proof = { challenge, deviceKey: key.publicKeyJson(), deviceKeySignature: key.signHex(challengeBytes) };
  const method = options.method;
  const request =
    method.kind === 'certificate'
      ? {
          method: 'certificate',
          certificateChain: [...method.certificateChainPem],
          challengeSignature: Buffer.from(signChallenge(method.manufacturingKeyPem, challengeBytes)).toString('base64'),
          ...proof,
        }
      : { method: 'token', enrolmentToken: method.token, serial: method.serial, hardwareModel: method.hardwareModel, ...proof };
  const enrolUrl = endpointUrl(base, '/v1/devices/enrol');
  const answer = jsonBody(await refusedAsEnrolment(exchangeJson(transport, { method: 'POST', url: enrolUrl, json: request })), enrolUrl);
  const expected = method.kind === 'token' ? { serial: method.serial, hardwareModel: method.hardwareModel } : {};
  const identity = readEnrolmentAnswer(answer, { serverUrl: options.serverUrl, key, expected });
  await options.store.save(identity);
  return identity;
}

/** A refusal by the server (4xx/5xx) is an enrolment failure; network trouble keeps its own code. */
async function refusedAsEnrolment<T>(exchange: Promise<T>): Promise<T> {
  try {
    return await exchange;
  } catch (error) {
    if (error instanceof DeviceError && error.code === 'STW_DEVICE_HTTP_STATUS') {
      throw new DeviceError('STW_DEVICE_ENROLMENT_FAILED', `enrolment refused: ${error.message}`, { cause: error, details: { reason: 'refused', ...error.details } });
    }
    throw error;
  }
}
