/** JSON schemas shared by the fleet routes (they also document the API at /docs). */
import { FLAG_NAMES } from '../check-in/health-flags.js';

export { errorResponses, errorSchema, signedMetadataSchema } from '../../repository/routes/schemas.js';

export const DEVICE_ID_PATTERN = '^dev_[A-Za-z0-9_-]{1,64}$';

export const deviceParams = { type: 'object', required: ['deviceId'], properties: { deviceId: { type: 'string', pattern: DEVICE_ID_PATTERN } } } as const;

export const vendorParams = { type: 'object', required: ['vendorId'], properties: { vendorId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } } } as const;

const nullableString = { type: ['string', 'null'] } as const;

export const deviceViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    serial: { type: 'string' },
    hardwareModel: { type: 'string' },
    vendorId: nullableString,
    merchantId: nullableString,
    tags: { type: 'array', items: { type: 'string' } },
    timeZone: { type: 'string' },
    status: { type: 'string', enum: ['active', 'disabled', 'swapped-out'] },
    keyId: { type: 'string' },
    rekeyAllowed: { type: 'boolean' },
    enrolmentMethod: { type: 'string', enum: ['certificate', 'token'] },
    enrolledAt: { type: 'string' },
    lastSeenAt: nullableString,
    firmwareVersion: nullableString,
    profileVersion: { type: ['integer', 'null'] },
    installed: { type: ['array', 'null'], items: { type: 'object', additionalProperties: true } },
    health: { type: ['object', 'null'], additionalProperties: true },
    flags: { type: 'array', items: { type: 'string', enum: FLAG_NAMES } },
  },
} as const;

export const historySchema = {
  type: 'object',
  properties: {
    checkIns: {
      type: 'array',
      items: {
        type: 'object',
        properties: { at: { type: 'string' }, health: { type: 'object', additionalProperties: true }, installed: { type: 'array', items: { type: 'object', additionalProperties: true } }, profileVersion: { type: ['integer', 'null'] } },
      },
    },
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' }, kind: { type: 'string' }, at: { type: 'string' }, rolloutId: nullableString, targetPath: nullableString,
          version: nullableString, code: nullableString, receivedAt: { type: 'string' },
        },
      },
    },
  },
} as const;

export const summarySchema = {
  type: 'object',
  properties: {
    total: { type: 'integer' },
    byStatus: { type: 'object', additionalProperties: { type: 'integer' } },
    models: { type: 'array', items: { type: 'object', properties: { hardwareModel: { type: 'string' }, firmwareVersion: nullableString, count: { type: 'integer' } } } },
    flags: { type: 'object', properties: Object.fromEntries(FLAG_NAMES.map((flag) => [flag, { type: 'integer' }])) },
  },
} as const;
