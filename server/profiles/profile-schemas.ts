/** JSON schemas shared by the merchant and profile routes (they also document the API at /docs). */
import { errorResponses, errorSchema } from '../repository/routes/schemas.js';
import { LAYER_KEYS } from './profile-layers.js';

export { errorSchema };

/** Every refusal a profile route can answer with, 422 included (field-level issues in `details.issues`). */
export const profileErrors = { ...errorResponses, 422: errorSchema } as const;

export const MERCHANT_ID_PATTERN = '^[A-Za-z0-9._-]{1,64}$';
export const merchantParams = { type: 'object', required: ['merchantId'], properties: { merchantId: { type: 'string', pattern: MERCHANT_ID_PATTERN } } } as const;
const changeId = { type: 'string', pattern: '^chg_[0-9a-f-]{36}$' } as const;
export const changeParams = { type: 'object', required: ['changeId'], properties: { changeId } } as const;
export const merchantChangeParams = { type: 'object', required: ['merchantId', 'changeId'], properties: { merchantId: merchantParams.properties.merchantId, changeId } } as const;

/** Wire form, masked: any object. */
export const wireObject = { type: 'object', additionalProperties: true } as const;
const nullableString = { type: ['string', 'null'] } as const;

/**
 * A patch: top-level profile fields only; `null` removes the key from the layer. Other keys are
 * refused by the service (STW_REQUEST_INVALID), not silently dropped by the validator.
 */
export const patchSchema = {
  type: 'object',
  minProperties: 1,
  description: `top-level fields: ${LAYER_KEYS.join(', ')}`,
} as const;

export const changeRequestSchema = {
  type: 'object',
  required: ['layer', 'patch'],
  additionalProperties: false,
  properties: {
    layer: { type: 'string', pattern: '^(merchant|terminal:[A-Za-z0-9._-]{1,64})$', description: '`merchant` or `terminal:<TID>`' },
    patch: patchSchema,
    effectiveAt: { type: 'string', format: 'date-time', description: 'when terminals receive it (default: on publication)' },
  },
} as const;

export const diffSchema = { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, before: {}, after: {} } } } as const;

export const changeSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    merchantId: nullableString,
    layer: { type: 'string' },
    fields: { type: 'array', items: { type: 'string' } },
    patch: wireObject,
    sensitive: { type: 'boolean' },
    state: { type: 'string', enum: ['pending', 'published', 'rejected', 'withdrawn'] },
    baseVersion: { type: ['integer', 'null'] },
    requestedBy: { type: 'string' },
    requestedAt: { type: 'string' },
    effectiveAt: nullableString,
    decidedBy: nullableString,
    decidedAt: nullableString,
    decisionReason: nullableString,
    publishedVersion: { type: ['integer', 'null'] },
    diff: diffSchema,
  },
} as const;

export const versionSummarySchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    version: { type: 'integer' }, effectiveAt: { type: 'string' }, createdAt: { type: 'string' }, createdBy: { type: 'string' }, changeId: nullableString,
    defaultVersion: { type: ['integer', 'null'] }, status: { type: 'string', enum: ['current', 'scheduled', 'superseded'] },
  },
} as const;

export const versionDetailSchema = {
  type: 'object',
  additionalProperties: true,
  properties: { ...versionSummarySchema.properties, profile: wireObject, layers: { type: 'object', properties: { merchant: wireObject, terminals: { type: 'object', additionalProperties: wireObject } } } },
} as const;

export const issuesResultSchema = {
  type: 'object',
  properties: {
    valid: { type: 'boolean' },
    sensitive: { type: 'boolean' },
    issues: { type: 'array', items: { type: 'object', additionalProperties: true } },
    diff: diffSchema,
  },
} as const;
