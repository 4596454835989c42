/**
 * Verifies a Steward webhook on the receiving side (see docs/webhooks.md): the RFC 9421
 * signature tagged `steward-webhook` with the merchant's secret, the age of its `created`
 * parameter, and the body against its RFC 9530 `Content-Digest`. Pass the body exactly as
 * received (bytes, before any JSON parsing) and the URL the merchant registered (the
 * `@target-uri` Steward signed), not one rebuilt behind a proxy.
 *
 * Order: signature present -> parameters -> HMAC -> `created` age -> body digest, so
 * `STW_WEBHOOK_SIGNATURE_EXPIRED` and `STW_WEBHOOK_DIGEST_MISMATCH` are only ever reported for
 * a signature made with the right secret. A malformed secret throws
 * `STW_WEBHOOK_SECRET_INVALID`: that is the receiver's configuration, not the request.
 *
 * Replays inside the window are the receiver's to drop: by the body's `id` (a retry carries
 * the same id) or by the signature's `nonce`.
 *
 * @example
 * const result = await verifyWebhook({ method: req.method, url: 'https://merchant.example/hooks/steward', headers: req.headers, body: rawBody }, secret);
 * if (!result.ok) return reply.code(401).send({ error: result.code });
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { httpbis, type SignatureParameters } from 'http-message-signatures';
import { contentDigestMatches } from '../fleet/identity/content-digest.js';
import { WEBHOOK_ALG, WEBHOOK_COMPONENTS, WEBHOOK_PARAMETERS, WEBHOOK_TAG, webhookKey, webhookKeyId, webhookTargetUri } from './webhook-signature-format.js';

export type WebhookVerificationCode =
  /** No signature tagged `steward-webhook`. */
  | 'STW_WEBHOOK_SIGNATURE_MISSING'
  /** Malformed, wrong parameters or components, or an HMAC that does not match (wrong secret, altered request). */
  | 'STW_WEBHOOK_SIGNATURE_INVALID'
  /** `created` further than `maxAgeSeconds` from `now`. */
  | 'STW_WEBHOOK_SIGNATURE_EXPIRED'
  /** The body is not the one the signed `Content-Digest` names. */
  | 'STW_WEBHOOK_DIGEST_MISMATCH';

export type WebhookVerification =
  | { readonly ok: true; readonly merchantId: string; readonly created: Date; readonly nonce: string }
  | { readonly ok: false; readonly code: WebhookVerificationCode; readonly reason: string };

export interface WebhookRequest {
  readonly method: string;
  /** Absolute URL: the merchant's registered webhook URL. */
  readonly url: string;
  /** Field names in any case (Node's `req.headers`, a `Headers` turned into an object, ...). */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body bytes as received (a string is taken as UTF-8). */
  readonly body: Uint8Array | string;
}

export interface VerifyWebhookOptions {
  /** The receiver's clock; default now. */
  readonly now?: Date;
  /** Largest accepted |now - created|, in seconds; default 300. */
  readonly maxAgeSeconds?: number;
  /** When given, `keyid` must be `merchant:<merchantId>`. */
  readonly merchantId?: string;
}

/** base64url of 16 or more bytes, as Steward sends. */
const NONCE = /^[A-Za-z0-9_-]{22,128}$/;
const KEYID = /^merchant:(.+)$/;

class Refusal {
  constructor(readonly result: WebhookVerification & { ok: false }) {}
}

export async function verifyWebhook(request: WebhookRequest, secret: string, options: VerifyWebhookOptions = {}): Promise<WebhookVerification> {
  const key = webhookKey(secret);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name.toLowerCase()] = typeof value === 'string' ? value : [...value];
  if (headers['signature'] === undefined && headers['signature-input'] === undefined) return refused('STW_WEBHOOK_SIGNATURE_MISSING', 'no signature');
  let url: string;
  try {
    url = webhookTargetUri(request.url);
  } catch {
    return refused('STW_WEBHOOK_SIGNATURE_INVALID', 'the url is not absolute');
  }
  let accepted: { merchantId: string; created: Date; nonce: string } | undefined;
  let candidates = 0;
  let verified: boolean | null;
  try {
    verified = await httpbis.verifyMessage(
      {
        keyLookup: async (params) => {
          // RFC 9421 2.3: `tag` says which application a signature is for; others are not ours to judge.
          if (params.tag !== WEBHOOK_TAG) return null;
          if (++candidates > 1) throw new Refusal({ ok: false, code: 'STW_WEBHOOK_SIGNATURE_INVALID', reason: 'more than one steward-webhook signature' });
          accepted = checkParameters(params, options.merchantId);
          return { id: params.keyid, algs: [WEBHOOK_ALG], verify: (data, signature) => Promise.resolve(hmacMatches(key, data, signature)) };
        },
        requiredParams: [...WEBHOOK_PARAMETERS],
        requiredFields: [...WEBHOOK_COMPONENTS],
        // created is checked below against the caller's clock, not the library's Date.now().
        notAfter: Number.MAX_SAFE_INTEGER,
      },
      { method: request.method, url, headers },
    );
  } catch (error) {
    if (error instanceof Refusal) return error.result;
    return refused('STW_WEBHOOK_SIGNATURE_INVALID', `malformed signature (${(error as Error).name})`);
  }
  if (verified === null || accepted === undefined) return refused('STW_WEBHOOK_SIGNATURE_MISSING', 'no steward-webhook signature');
  if (verified !== true) return refused('STW_WEBHOOK_SIGNATURE_INVALID', 'the signature does not match');
  const maxAgeSeconds = options.maxAgeSeconds ?? 300;
  const now = options.now ?? new Date();
  if (Math.abs(now.getTime() - accepted.created.getTime()) > maxAgeSeconds * 1000) {
    return refused('STW_WEBHOOK_SIGNATURE_EXPIRED', `created is more than ${maxAgeSeconds} s from now`);
  }
  // RFC 9530: the signature covers the Content-Digest field; the body must match it.
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  if (!contentDigestMatches(headers['content-digest'], body)) return refused('STW_WEBHOOK_DIGEST_MISMATCH', 'the body does not match its Content-Digest');
  return { ok: true, ...accepted };
}

function checkParameters(params: SignatureParameters, merchantId: string | undefined): { merchantId: string; created: Date; nonce: string } {
  const refuse = (reason: string) => new Refusal({ ok: false, code: 'STW_WEBHOOK_SIGNATURE_INVALID', reason });
  if (params.alg !== WEBHOOK_ALG) throw refuse(`alg must be ${WEBHOOK_ALG}`);
  const keyid = typeof params.keyid === 'string' ? KEYID.exec(params.keyid) : null;
  if (!keyid?.[1]) throw refuse('keyid must be merchant:<id>');
  if (merchantId !== undefined && params.keyid !== webhookKeyId(merchantId)) throw refuse('keyid names another merchant');
  if (typeof params.nonce !== 'string' || !NONCE.test(params.nonce)) throw refuse('nonce must be base64url of 16 or more bytes');
  // The library turns created (RFC 9421 2.3: an Integer of Unix seconds) into a Date.
  if (!(params.created instanceof Date) || !Number.isInteger(params.created.getTime() / 1000)) throw refuse('created must be an integer of Unix seconds');
  return { merchantId: keyid[1], created: params.created, nonce: params.nonce };
}

function hmacMatches(key: Buffer, data: Buffer, signature: Buffer): boolean {
  const expected = createHmac('sha256', key).update(data).digest();
  return signature.length === expected.length && timingSafeEqual(signature, expected);
}

function refused(code: WebhookVerificationCode, reason: string): WebhookVerification {
  return { ok: false, code, reason };
}
