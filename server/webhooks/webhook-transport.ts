/**
 * The POST that carries a webhook, on node:http / node:https rather than `fetch`, for one
 * reason: the address check must see the address the socket connects to. Names are resolved
 * by the `lookup` given to the request, which drops every address `isPublicAddress` refuses
 * (webhook-address-guard.ts); an IP literal in the URL is checked before anything is sent.
 * With `allowPrivateNetworks` (development, or a receiver on the operator's own network)
 * every address is allowed.
 *
 * It never follows redirects and never reads the answer's body, as webhook-post.ts expects;
 * the answer is handed back as a `Response` with its status. A status outside 200-599, a
 * protocol upgrade, or a connection that closes without an answer is an error, so that no
 * receiver can leave a delivery pending or throw where nothing catches.
 *
 * @example
 * const post = webhookTransport({ allowPrivateNetworks: false });
 * const response = await post(url, { method: 'POST', headers, body, redirect: 'manual', signal });
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './webhook-address-guard.js';
import type { WebhookFetch } from './webhook-post.js';

export interface WebhookTransportOptions {
  /** Allow loopback, private and other special-purpose addresses (default: refuse them). */
  readonly allowPrivateNetworks: boolean;
}

/** The codes of this transport's own errors; webhook-post.ts turns them into `last_error` words. */
export const ADDRESS_REFUSED = 'STW_WEBHOOK_ADDRESS_REFUSED';
export const BAD_STATUS = 'STW_WEBHOOK_BAD_STATUS';
export const NO_ANSWER = 'STW_WEBHOOK_NO_ANSWER';

export function webhookTransport(options: WebhookTransportOptions): WebhookFetch {
  const lookup = guardedLookup(options.allowPrivateNetworks);
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
      if (options.allowPrivateNetworks !== true && isIP(host) !== 0 && !isPublicAddress(host)) {
        reject(failure(ADDRESS_REFUSED, 'the webhook address is loopback, private or otherwise not public'));
        return;
      }
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const requestOptions: RequestOptions = { method: init.method, headers: init.headers, lookup, signal: init.signal, agent: false };
      const request = send(target, requestOptions, (response) => {
        response.resume(); // the answer's body is not read, only drained
        const status = response.statusCode ?? 0;
        // Node accepts any three-digit status; a Response only 200-599 (1xx never ends a request here).
        if (status < 200 || status > 599) reject(failure(BAD_STATUS, `status ${status}`));
        else resolve(new Response(null, { status }));
      });
      // A 101 with Upgrade: Node hands the socket over and emits neither 'response' nor 'error'.
      request.on('upgrade', (_response, socket) => {
        socket.destroy();
        reject(failure(BAD_STATUS, 'status 101'));
      });
      request.on('error', reject);
      // Whatever else ends the request without an answer (settling twice does nothing).
      request.on('close', () => reject(failure(NO_ANSWER, 'the connection closed without an answer')));
      request.end(init.body);
    });
}

/** dns.lookup that keeps only allowed addresses (and fails when none is left). */
function guardedLookup(allowPrivateNetworks: boolean): LookupFunction {
  const allowAll = allowPrivateNetworks === true;
  return (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const usable = allowAll ? addresses : addresses.filter((entry) => isPublicAddress(entry.address));
      const first = usable[0];
      if (first === undefined) {
        callback(failure(ADDRESS_REFUSED, 'the webhook address is loopback, private or otherwise not public'), '', 0);
        return;
      }
      // net asks for every address when it may try several (autoSelectFamily).
      if (lookupOptions.all === true) (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, usable);
      else callback(null, first.address, first.family);
    });
  };
}

function failure(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}
