/**
 * One HTTP POST of a signed webhook (over webhook-transport.ts, or any `fetch`), bounded by `AbortSignal.timeout`, that
 * never follows redirects (a 3xx is a failed attempt: the signed body goes only to the
 * registered URL) and never reads the answer's body. The result says what happened in words
 * safe to store in `last_error`: no URL, no body, no secret.
 *
 * @example
 * const result = await postWebhook(fetch, { url, headers, body }, 5000);
 * if (result.kind === 'answered' && result.status < 300) done();
 */

import { ADDRESS_REFUSED, BAD_STATUS, NO_ANSWER } from './webhook-transport.js';

/** The subset of `fetch` the dispatcher needs. */
export type WebhookFetch = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: Uint8Array; redirect: 'manual'; signal: AbortSignal }) => Promise<Response>;

export type PostResult = { readonly kind: 'answered'; readonly status: number } | { readonly kind: 'failed'; readonly error: string };

export interface WebhookPost {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

export async function postWebhook(fetch: WebhookFetch, post: WebhookPost, timeoutMilliseconds: number): Promise<PostResult> {
  try {
    const response = await fetch(post.url, { method: 'POST', headers: post.headers, body: post.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMilliseconds) });
    await response.body?.cancel().catch(() => {});
    return { kind: 'answered', status: response.status };
  } catch (error) {
    return { kind: 'failed', error: describe(error, timeoutMilliseconds) };
  }
}

function describe(error: unknown, timeoutMilliseconds: number): string {
  const name = error instanceof Error ? error.name : 'Error';
  const cause = error instanceof Error ? (error.cause as { code?: unknown; name?: unknown } | undefined) : undefined;
  // fetch rejects with the signal's TimeoutError; node:http with an AbortError caused by it.
  if (name === 'TimeoutError' || cause?.name === 'TimeoutError') return `timeout after ${timeoutMilliseconds} ms`;
  // The error's code, never its message (which names the address): on node:http the error
  // itself carries it, on undici its cause.
  const own = (error as { code?: unknown } | undefined)?.code;
  const code = typeof own === 'string' ? own : typeof cause?.code === 'string' ? cause.code : undefined;
  if (code === ADDRESS_REFUSED) return 'url refused: not a public address';
  if (code === BAD_STATUS) return `answer refused: ${error instanceof Error ? error.message : 'bad status'}`;
  if (code === NO_ANSWER) return 'connection failed: closed without an answer';
  return code ? `connection failed: ${code}` : `request failed: ${name}`;
}
