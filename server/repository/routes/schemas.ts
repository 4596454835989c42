/** JSON schemas shared by the repository routes (they also document the API at /docs). */
export const signedMetadataSchema = {
  type: 'object',
  description: 'A TUF metadata document: { signatures, signed } (TUF 4.2)',
  required: ['signatures', 'signed'],
  properties: { signatures: { type: 'array' }, signed: { type: 'object', additionalProperties: true } },
  additionalProperties: true,
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', additionalProperties: true } },
    },
  },
} as const;

export const publicationSchema = {
  type: 'object',
  properties: { version: { type: 'integer' }, rootVersion: { type: 'integer' }, snapshotVersion: { type: 'integer' }, timestampVersion: { type: 'integer' } },
} as const;

export const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 413: errorSchema } as const;
