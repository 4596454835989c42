/**
 * Signs one webhook request (see webhook-signature-format.ts). The signature base
 * (RFC 9421 2.5) and the `Signature-Input` / `Signature` fields are built by the
 * `http-message-signatures` package, which takes any signing function: here HMAC-SHA256
 * (RFC 9421 3.3.3) with the merchant's secret. Every attempt gets a fresh `created` and nonce.
 *
 * ```
 * Content-Type: application/json
 * Content-Digest: sha-256=:<base64>:
 * Signature-Input: webhook=("@method" "@target-uri" "content-digest" "content-type");created=1795860000;nonce="<b64url>";keyid="merchant:M1";alg="hmac-sha256";tag="steward-webhook"
 * Signature: webhook=:<base64 HMAC>:
 * ```
 *
 * @example
 * const headers = await signWebhook({ url: merchant.webhook_url, body }, { merchantId: 'M1', secret }, { now });
 * await fetch(webhookTargetUri(merchant.webhook_url), { method: 'POST', headers, body });
 */
import { createHmac, randomBytes as nodeRandomBytes } from 'node:crypto';
import { httpbis } from 'http-message-signatures';
import {
  WEBHOOK_ALG,
  WEBHOOK_COMPONENTS,
  WEBHOOK_CONTENT_TYPE,
  WEBHOOK_LABEL,
  WEBHOOK_METHOD,
  WEBHOOK_NONCE_BYTES,
  WEBHOOK_PARAMETERS,
  WEBHOOK_TAG,
  webhookContentDigest,
  webhookKey,
  webhookKeyId,
  webhookTargetUri,
} from './webhook-signature-format.js';

export interface WebhookMessage {
  /** The merchant's registered URL (http or https). */
  readonly url: string;
  /** The exact bytes that will be sent. */
  readonly body: Uint8Array;
}

export interface WebhookCredentials {
  readonly merchantId: string;
  /** base64url of the key bytes; never logged. */
  readonly secret: string;
}

export interface WebhookSigningOptions {
  /** `created` (RFC 9421 2.3: Unix seconds). */
  readonly now: Date;
  /** Randomness for the nonce. */
  readonly randomBytes?: (size: number) => Buffer;
}

/** The headers of a signed webhook (lower-case names). */
export interface WebhookHeaders {
  readonly 'content-type': string;
  readonly 'content-digest': string;
  readonly 'signature-input': string;
  readonly signature: string;
}

export async function signWebhook(message: WebhookMessage, credentials: WebhookCredentials, options: WebhookSigningOptions): Promise<WebhookHeaders> {
  const key = webhookKey(credentials.secret);
  const keyid = webhookKeyId(credentials.merchantId);
  const contentDigest = webhookContentDigest(message.body);
  const signed = await httpbis.signMessage(
    {
      key: { id: keyid, alg: WEBHOOK_ALG, sign: (data: Buffer) => Promise.resolve(createHmac('sha256', key).update(data).digest()) },
      name: WEBHOOK_LABEL,
      fields: [...WEBHOOK_COMPONENTS],
      params: [...WEBHOOK_PARAMETERS],
      paramValues: {
        created: options.now,
        nonce: (options.randomBytes ?? nodeRandomBytes)(WEBHOOK_NONCE_BYTES).toString('base64url'),
        keyid,
        alg: WEBHOOK_ALG,
        tag: WEBHOOK_TAG,
      },
    },
    { method: WEBHOOK_METHOD, url: webhookTargetUri(message.url), headers: { 'content-digest': contentDigest, 'content-type': WEBHOOK_CONTENT_TYPE } },
  );
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) fields[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return { 'content-type': WEBHOOK_CONTENT_TYPE, 'content-digest': contentDigest, 'signature-input': fields['signature-input'] ?? '', signature: fields['signature'] ?? '' };
}
