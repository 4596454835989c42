/**
 * What a Steward webhook signature is, shared by the signer and by `verifyWebhook`:
 * RFC 9421 HTTP Message Signatures with `alg="hmac-sha256"` (RFC 9421 3.3.3), keyed with the
 * merchant's webhook secret, over `"@method" "@target-uri" "content-digest" "content-type"`,
 * with the parameters `created`, `nonce`, `keyid="merchant:<id>"`, `alg` and
 * `tag="steward-webhook"`, and the body's RFC 9530 `Content-Digest` (sha-256).
 *
 * @example
 * const key = webhookKey(merchant.webhook_secret); // 32 raw bytes
 * webhookKeyId('M1'); // 'merchant:M1'
 */
import { createHash } from 'node:crypto';
import { stewardError } from '../errors.js';

/** RFC 9421 2.1, 2.2: the covered components, in this order. */
export const WEBHOOK_COMPONENTS = ['@method', '@target-uri', 'content-digest', 'content-type'] as const;
/** RFC 9421 2.3: the signature parameters, in this order. */
export const WEBHOOK_PARAMETERS = ['created', 'nonce', 'keyid', 'alg', 'tag'] as const;
/** RFC 9421 6.2.2: HMAC using SHA-256. */
export const WEBHOOK_ALG = 'hmac-sha256';
/** RFC 9421 2.3 `tag`: names the application, so a receiver picks this signature among others. */
export const WEBHOOK_TAG = 'steward-webhook';
/** The label in `Signature-Input` and `Signature` (RFC 9421 4.1). */
export const WEBHOOK_LABEL = 'webhook';
export const WEBHOOK_METHOD = 'POST';
export const WEBHOOK_CONTENT_TYPE = 'application/json';
/** Random bytes in each nonce (base64url on the wire). */
export const WEBHOOK_NONCE_BYTES = 16;
/** Fewest key bytes accepted: the output size of SHA-256 (RFC 2104 section 3). */
export const WEBHOOK_KEY_MIN_BYTES = 32;

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** `merchant:<merchantId>`: the `keyid` of a merchant's webhook signatures. */
export function webhookKeyId(merchantId: string): string {
  return `merchant:${merchantId}`;
}

/**
 * The HMAC key: the raw bytes of the base64url secret shown once when the merchant was
 * created (32 random bytes). Refuses anything that is not base64url of 32 bytes or more.
 */
export function webhookKey(secret: string): Buffer {
  const key = BASE64URL.test(secret) ? Buffer.from(secret, 'base64url') : Buffer.alloc(0);
  if (key.length < WEBHOOK_KEY_MIN_BYTES) {
    // Never the secret itself in the message or details.
    throw stewardError('STW_WEBHOOK_SECRET_INVALID', `a webhook secret is base64url of ${WEBHOOK_KEY_MIN_BYTES} bytes or more`, { minBytes: WEBHOOK_KEY_MIN_BYTES });
  }
  return key;
}

/** RFC 9421 2.2.2: `@target-uri` is the absolute URL; normalised so signer and receiver agree. */
export function webhookTargetUri(url: string): string {
  return new URL(url).href;
}

/** RFC 9530 2, 5: `sha-256=:<base64>:` (an RFC 8941 3.3.5 Byte Sequence). */
export function webhookContentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}
