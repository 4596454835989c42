/**
 * The enrolment body (protocol.md 1.2), as its JSON schema (validated by Fastify before the
 * handler runs) and as the type the schema guarantees.
 */
import type { JsonObject } from '../../../manifests/index.js';

export interface CertificateEnrolment {
  readonly method: 'certificate';
  readonly certificateChain: readonly string[];
  readonly challenge: string;
  /** base64 RSASSA-PSS SHA-256 (salt 32) over the challenge bytes, by the certificate key. */
  readonly challengeSignature: string;
  readonly deviceKey: JsonObject;
  /** hex Ed25519 over the challenge bytes, by the device key. */
  readonly deviceKeySignature: string;
}

export interface TokenEnrolment {
  readonly method: 'token';
  readonly enrolmentToken: string;
  readonly serial: string;
  readonly hardwareModel: string;
  readonly challenge: string;
  readonly deviceKey: JsonObject;
  readonly deviceKeySignature: string;
}

export type EnrolmentRequest = CertificateEnrolment | TokenEnrolment;

const common = {
  challenge: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$', description: 'from POST /v1/devices/enrolment/challenge' },
  deviceKey: {
    type: 'object',
    description: 'the new Ed25519 device key, TUF key encoding',
    required: ['keytype', 'scheme', 'keyval'],
    properties: { keytype: { type: 'string', const: 'ed25519' }, scheme: { type: 'string', const: 'ed25519' }, keyval: { type: 'object', required: ['public'], properties: { public: { type: 'string', pattern: '^[0-9a-f]{64}$' } } } },
  },
  deviceKeySignature: { type: 'string', pattern: '^[0-9a-fA-F]{128}$', description: 'hex Ed25519 over the challenge bytes' },
} as const;

/** Serial numbers and hardware models: printable, as X.520 names allow (at most 64 characters). */
const NAME = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]([\\x20-\\x7e]*[\\x21-\\x7e])?$' } as const;

export const enrolmentRequestSchema = {
  // No additionalProperties: false here: with Fastify's removeAdditional it would strip one branch's fields while trying the other.
  oneOf: [
    {
      type: 'object',
      required: ['method', 'certificateChain', 'challenge', 'challengeSignature', 'deviceKey', 'deviceKeySignature'],
      properties: {
        method: { type: 'string', const: 'certificate' },
        certificateChain: { type: 'array', minItems: 1, maxItems: 5, items: { type: 'string', maxLength: 16384 }, description: 'PEM, leaf first' },
        challengeSignature: { type: 'string', maxLength: 1400, pattern: '^[A-Za-z0-9+/]+={0,2}$' },
        ...common,
      },
    },
    {
      type: 'object',
      required: ['method', 'enrolmentToken', 'serial', 'hardwareModel', 'challenge', 'deviceKey', 'deviceKeySignature'],
      properties: {
        method: { type: 'string', const: 'token' },
        enrolmentToken: { type: 'string', maxLength: 128 },
        serial: NAME,
        hardwareModel: NAME,
        ...common,
      },
    },
  ],
} as const;
