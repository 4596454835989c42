/**
 * The one error shape on the wire: `{ "error": { "code", "message", "details" } }`.
 * Fastify's own errors (validation, body parsing, size) and the storage layer's are mapped
 * to stable `STW_` codes; anything unexpected is a logged STW_INTERNAL with no internals
 * in the response.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isStewardError, statusOf, type StewardErrorCode } from '../errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

const fastifyCodes: Record<string, StewardErrorCode> = {
  FST_ERR_VALIDATION: 'STW_REQUEST_INVALID',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'STW_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'STW_REQUEST_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'STW_REQUEST_MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'STW_REQUEST_INVALID',
  FST_ERR_NOT_FOUND: 'STW_NOT_FOUND',
};

const storageCodes: Record<string, StewardErrorCode> = {
  STW_BLOB_TOO_LARGE: 'STW_ARTIFACT_TOO_LARGE',
  STW_BLOB_HASH_MISMATCH: 'STW_ARTIFACT_HASH_MISMATCH',
  STW_BLOB_NOT_FOUND: 'STW_ARTIFACT_NOT_FOUND',
};

export function stewardErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { code, message, details } = describe(error);
  const status = statusOf(code);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code }, 'request refused');
  const body: ErrorBody = { error: { code, message, ...(details ? { details } : {}) } };
  void reply.status(status).send(body);
}

function describe(error: FastifyError): { code: StewardErrorCode; message: string; details?: Record<string, unknown> | undefined } {
  if (isStewardError(error)) return { code: error.code, message: error.message, details: error.details };
  const storage = storageCodes[error.code];
  if (storage) return { code: storage, message: error.message, details: (error as { details?: Record<string, unknown> }).details };
  if (error.validation) return { code: 'STW_REQUEST_INVALID', message: error.message, details: { problems: error.validation.map((item) => ({ path: item.instancePath, message: item.message })) } };
  const mapped = fastifyCodes[error.code];
  if (mapped) return { code: mapped, message: error.message };
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return { code: 'STW_REQUEST_MALFORMED_JSON', message: 'the body is not valid JSON' };
  return { code: 'STW_INTERNAL', message: 'internal error' };
}
