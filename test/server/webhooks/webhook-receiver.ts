/**
 * A merchant's webhook endpoint for tests: a real node:http server on 127.0.0.1 that keeps
 * every request (method, headers, raw body bytes), verifies each with `verifyWebhook` against
 * the merchant's secret and the test's clock, and answers what the test says (a status per
 * request number, or 'hang' to never answer until the test ends).
 *
 * @example
 * const receiver = await startWebhookReceiver(t, { secret: () => secret, now: () => T0, answer: (n) => (n === 0 ? 500 : 200) });
 * await db.updateTable('merchants').set({ webhook_url: receiver.url }).execute();
 */
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'tap';
import { verifyWebhook, type WebhookVerification } from '../../../server/webhooks/index.js';

/** What the receiver checks against when it does not know the merchant: verification then fails. */
const UNKNOWN_MERCHANT_SECRET = Buffer.alloc(32).toString('base64url');

export interface ReceivedWebhook {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly verification: WebhookVerification;
}

export type Answer = number | 'hang' | { readonly status: number; readonly headers: Record<string, string> };

export interface WebhookReceiverOptions {
  /** The secret of the merchant the signature names (its `keyid`), as the receiver keeps it. */
  readonly secret: (merchantId: string) => string;
  /** The receiver's clock for the `created` check. */
  readonly now: () => Date;
  /** What to answer the n-th request (0-based); default 204. */
  readonly answer?: (index: number) => Answer;
  readonly merchantId?: string;
}

export interface WebhookReceiver {
  /** The URL to register: `http://127.0.0.1:<port>/hooks/steward`. */
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Emits 'request' with each ReceivedWebhook once verified. */
  readonly events: EventEmitter;
  next(): Promise<ReceivedWebhook>;
}

export async function startWebhookReceiver(t: Test, options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const events = new EventEmitter();
  let url = '';
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const index = received.length;
      // The URL the merchant registered, as verifyWebhook wants it (not rebuilt from Host).
      const target = new URL(request.url ?? '/', url).href;
      const named = /keyid="merchant:([^"]+)"/.exec(String(request.headers['signature-input']))?.[1] ?? '';
      const secret = options.secret(named) || UNKNOWN_MERCHANT_SECRET;
      void verifyWebhook({ method: request.method ?? '', url: target, headers: request.headers, body }, secret, {
        now: options.now(),
        ...(options.merchantId === undefined ? {} : { merchantId: options.merchantId }),
      }).then((verification) => {
        const entry: ReceivedWebhook = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body, verification };
        received[index] = entry;
        const answer = options.answer?.(index) ?? 204;
        if (answer !== 'hang') {
          const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
          response.writeHead(status, headers).end(status === 204 ? undefined : 'answer body the dispatcher never reads');
        }
        events.emit('request', entry);
      });
      received.length = index + 1;
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/steward`;
  t.teardown(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url,
    received,
    events,
    next: async () => (await once(events, 'request'))[0] as ReceivedWebhook,
  };
}
