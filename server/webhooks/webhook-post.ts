/**
 * One HTTP POST of a signed webhook over `fetch`, bounded by `AbortSignal.timeout`, that
 * never follows redirects (a 3xx is a failed attempt: the signed body goes only to the
 * registered URL) and never reads the answer's body. The result says what happened in words
 * safe to store in `last_error`: no URL, no body, no secret.
 *
 * @example
 * const result = await postWebhook(fetch, { url, headers, body }, 5000);
 * if (result.kind === 'answered' && result.status < 300) done();
 */

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
  if (name === 'TimeoutError') return `timeout after ${timeoutMilliseconds} ms`;
  // undici: TypeError('fetch failed') with the socket error as cause; its code, not its message (which names the address).
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return code ? `connection failed: ${code}` : `request failed: ${name}`;
}
