/**
 * Every error the server answers with: one map, codes prefixed `STW_`, grouped by area,
 * each with its HTTP status (created with @fastify/error, as fastify's lib/errors.js does).
 * On the wire: `{ "error": { "code": "STW_...", "message": "...", "details": ... } }`.
 *
 * @example
 * throw stewardError('STW_REPO_VERSION_NOT_INCREASED', 'acme version 3 is not above 3', { role: 'acme' });
 */
import createError, { type FastifyErrorConstructor } from '@fastify/error';

const definitions = {
  // requests
  STW_REQUEST_INVALID: 400,
  STW_REQUEST_MALFORMED_JSON: 400,
  STW_REQUEST_TOO_LARGE: 413,
  STW_UNSUPPORTED_MEDIA_TYPE: 415,
  STW_NOT_FOUND: 404,
  STW_RATE_LIMITED: 429,
  // configuration (at start, never on the wire)
  STW_CONFIG_INVALID: 500,
  // authentication and authorisation
  STW_AUTH_REQUIRED: 401,
  STW_AUTH_INVALID: 401,
  STW_AUTH_FORBIDDEN: 403,
  // the TUF repository
  STW_REPO_NOT_INITIALISED: 409,
  STW_REPO_METADATA_INVALID: 400,
  STW_REPO_SIGNATURE_INVALID: 400,
  STW_REPO_VERSION_NOT_INCREASED: 409,
  STW_REPO_EXPIRED: 400,
  STW_REPO_PATH_INVALID: 400,
  STW_REPO_PATH_NOT_DELEGATED: 403,
  STW_REPO_DELEGATION_INVALID: 400,
  STW_REPO_TARGET_UNKNOWN: 400,
  STW_REPO_TARGET_MISMATCH: 400,
  STW_REPO_RELEASE_INVALID: 400,
  STW_REPO_VENDOR_UNKNOWN: 404,
  STW_REPO_VENDOR_EXISTS: 409,
  STW_REPO_ONLINE_KEY_MISSING: 409,
  STW_REPO_CONFLICT: 409,
  // artifacts
  STW_ARTIFACT_TOO_LARGE: 413,
  STW_ARTIFACT_HASH_MISMATCH: 400,
  STW_ARTIFACT_NOT_FOUND: 404,
  // the fleet: enrolment, device identity, director
  STW_ENROLMENT_CHALLENGE_INVALID: 401,
  STW_ENROLMENT_CERTIFICATE_INVALID: 401,
  STW_ENROLMENT_PROOF_INVALID: 401,
  STW_ENROLMENT_TOKEN_INVALID: 401,
  STW_MANUFACTURING_CA_INVALID: 400,
  STW_DEVICE_ALREADY_ENROLLED: 409,
  STW_DEVICE_SIGNATURE_INVALID: 401,
  STW_DEVICE_SIGNATURE_EXPIRED: 401,
  STW_DEVICE_REPLAYED: 401,
  STW_DEVICE_DISABLED: 403,
  STW_DIRECTOR_NOT_INITIALISED: 409,
  // rollouts
  STW_ROLLOUT_NOT_FOUND: 404,
  STW_ROLLOUT_INVALID: 400,
  STW_ROLLOUT_RELEASE_UNKNOWN: 400,
  STW_ROLLOUT_STATE_CONFLICT: 409,
  // accounts and merchants
  STW_USER_EXISTS: 409,
  STW_USER_INVALID: 400,
  STW_SIGN_IN_FAILED: 401,
  STW_SIGN_IN_THROTTLED: 429,
  STW_MERCHANT_EXISTS: 409,
  STW_MERCHANT_UNKNOWN: 404,
  STW_MERCHANT_INVALID: 400,
  STW_MERCHANT_TERMINAL_EXISTS: 409,
  // merchant parameter profiles
  STW_PROFILE_INVALID: 422,
  STW_PROFILE_CHANGE_NOT_FOUND: 404,
  STW_PROFILE_CHANGE_STATE: 409,
  STW_PROFILE_SELF_APPROVAL: 403,
  STW_PROFILE_APPROVER_REQUIRED: 403,
  STW_PROFILE_REQUESTER_REQUIRED: 403,
  STW_PROFILE_NOT_FOUND: 404,
  STW_PROFILE_CONFLICT: 409,
  // the audit log
  STW_AUDIT_BROKEN: 409,
  // webhooks to merchants
  STW_WEBHOOK_SECRET_INVALID: 500,
  STW_WEBHOOK_DATA_UNMASKED: 500,
  // the service itself
  STW_INTERNAL: 500,
  STW_UNAVAILABLE: 503,
} as const;

export type StewardErrorCode = keyof typeof definitions;

export const errorConstructors = Object.fromEntries(
  Object.entries(definitions).map(([code, status]) => [code, createError(code, '%s', status)]),
) as Record<StewardErrorCode, FastifyErrorConstructor>;

export interface StewardError extends Error {
  readonly code: StewardErrorCode;
  readonly statusCode: number;
  details?: Record<string, unknown>;
}

export function stewardError(code: StewardErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown): StewardError {
  const error = new errorConstructors[code](message) as unknown as StewardError;
  if (details !== undefined) error.details = details;
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false });
  return error;
}

export function statusOf(code: StewardErrorCode): number {
  return definitions[code];
}

export function isStewardError(error: unknown): error is StewardError {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && Object.hasOwn(definitions, code);
}
