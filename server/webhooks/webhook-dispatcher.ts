/**
 * Delivers the webhook outbox. Each run reads a batch of due rows (`delivered_at` null,
 * `next_attempt_at` <= now), claims each one (see webhook-deliveries.ts: safe across
 * replicas on SQLite and PostgreSQL), and only the winner POSTs the stored body, signed with
 * the merchant's secret (webhook-signer.ts), to the merchant's URL as it is at send time.
 *
 * Outcomes, per row:
 * - 2xx: `delivered_at`, `last_status`.
 * - the merchant has no URL (or no longer exists): closed without sending: `delivered_at`,
 *   `last_error` 'no contact'.
 * - anything else (other status, timeout, connection error, URL that is not http(s) or
 *   carries credentials, an address that is not public (loopback, private, link-local...,
 *   unless `allowPrivateNetworks`), missing or malformed secret): `attempts` + 1, `last_status`,
 *   `last_error` (never the body, the URL or the secret), next attempt after
 *   `firstRetry * 2^(attempts-1)` capped at `maxRetry`; after `maxAttempts` the row is left
 *   undelivered with `last_error` 'gave up after N attempts: ...' and is never tried again.
 *
 * `runOnce(now)` is the whole work of one poll (tests call it with their own clock);
 * `start()` polls every `intervalMilliseconds` without overlapping runs, `stop()` waits for
 * the run in progress.
 *
 * @example
 * const dispatcher = new WebhookDispatcher({ db, clock }, { timeoutMilliseconds: 5000 });
 * await dispatcher.runOnce(new Date()); // { due: 1, delivered: 1, ... }
 * dispatcher.start(app.log); ... await dispatcher.stop();
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isStewardError, stewardError } from '../errors.js';
import { claimDelivery, dueDeliveries, markDelivered, markFailed, NEVER, type DueDelivery } from './webhook-deliveries.js';
import { postWebhook, type WebhookFetch } from './webhook-post.js';
import { webhookTargetUri } from './webhook-signature-format.js';
import { webhookTransport } from './webhook-transport.js';
import { signWebhook } from './webhook-signer.js';

export interface WebhookDispatcherConfig {
  /** How often `start()` polls, in milliseconds; 0 disables `start()`. */
  readonly intervalMilliseconds: number;
  /** Time limit of one POST, in milliseconds (more than 0). */
  readonly timeoutMilliseconds: number;
  /** Rows read per run. */
  readonly batchSize: number;
  /** POSTs in flight at once within a run. */
  readonly concurrency: number;
  /** Attempts before giving up. */
  readonly maxAttempts: number;
  /** Wait after the first failed attempt, doubled after each further one, in milliseconds. */
  readonly firstRetryMilliseconds: number;
  /** Longest wait between attempts, in milliseconds. */
  readonly maxRetryMilliseconds: number;
  /**
   * How long a claim holds a row, in milliseconds; raised to twice the longest a run can take
   * (`ceil(batchSize / concurrency) * timeoutMilliseconds`) when shorter.
   */
  readonly leaseMilliseconds: number;
  /** Send to loopback, private and other non-public addresses too (webhook-address-guard.ts); off by default. */
  readonly allowPrivateNetworks: boolean;
}

export const defaultWebhookDispatcherConfig: WebhookDispatcherConfig = {
  intervalMilliseconds: 2000, // 2 s
  timeoutMilliseconds: 5000, // 5 s
  batchSize: 20,
  concurrency: 4,
  maxAttempts: 12, // about 3.4 h from the first attempt to the last
  firstRetryMilliseconds: 10_000, // 10 s
  maxRetryMilliseconds: 3_600_000, // 1 h
  leaseMilliseconds: 300_000, // 5 min
  allowPrivateNetworks: false,
};

export interface WebhookDispatcherDependencies {
  readonly db: Kysely<Database>;
  /** The clock of `start()`'s runs. */
  readonly clock: () => Date;
  readonly fetch?: WebhookFetch;
  /** Randomness for signature nonces. */
  readonly randomBytes?: (size: number) => Buffer;
}

/** What one run did, row by row. `lost`: claimed or finished by another dispatcher first. */
export interface DispatchSummary {
  due: number;
  delivered: number;
  failed: number;
  gaveUp: number;
  noContact: number;
  lost: number;
}

/** The subset of a pino / Fastify logger used. */
export interface WebhookLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

type RowOutcome = keyof Omit<DispatchSummary, 'due'>;

type Attempt = { readonly ok: true; readonly status: number } | { readonly ok: false; readonly status: number | null; readonly error: string };

export class WebhookDispatcher {
  readonly config: WebhookDispatcherConfig;
  readonly #deps: WebhookDispatcherDependencies;
  readonly #fetch: WebhookFetch;
  #log: WebhookLog | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #started = false;
  readonly #leaseMilliseconds: number;

  constructor(deps: WebhookDispatcherDependencies, config: Partial<WebhookDispatcherConfig> = {}) {
    this.config = { ...defaultWebhookDispatcherConfig, ...config };
    if (!(this.config.timeoutMilliseconds > 0)) throw stewardError('STW_REQUEST_INVALID', 'webhookTimeoutMilliseconds must be more than 0', { field: 'webhookTimeoutMilliseconds' });
    const longestRun = Math.ceil(this.config.batchSize / this.config.concurrency) * this.config.timeoutMilliseconds;
    this.#leaseMilliseconds = Math.max(this.config.leaseMilliseconds, 2 * longestRun);
    this.#deps = deps;
    this.#fetch = deps.fetch ?? webhookTransport({ allowPrivateNetworks: this.config.allowPrivateNetworks });
  }

  async runOnce(now: Date): Promise<DispatchSummary> {
    const rows = await dueDeliveries(this.#deps.db, now, this.config.batchSize, this.config.maxAttempts);
    const summary: DispatchSummary = { due: rows.length, delivered: 0, failed: 0, gaveUp: 0, noContact: 0, lost: 0 };
    let next = 0;
    const worker = async () => {
      for (let row = rows[next++]; row !== undefined; row = rows[next++]) summary[await this.#deliver(row, now)]++;
    };
    const settled = await Promise.allSettled(Array.from({ length: Math.min(this.config.concurrency, rows.length) }, worker));
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    return summary;
  }

  /** Polls until `stop()`; a full batch is followed by another run at once. */
  start(log: WebhookLog): void {
    if (this.#started || this.config.intervalMilliseconds <= 0) return;
    this.#started = true;
    this.#log = log;
    this.#schedule(this.config.intervalMilliseconds);
  }

  async stop(): Promise<void> {
    this.#started = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(delay: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const run = this.runOnce(this.#deps.clock()).then(
        (summary) => (summary.due === this.config.batchSize ? 0 : this.config.intervalMilliseconds),
        (error: unknown) => {
          this.#log?.error({ err: error }, 'webhook dispatch failed');
          return this.config.intervalMilliseconds;
        },
      );
      this.#running = run.then((wait) => {
        if (this.#started) this.#schedule(wait);
      });
    }, delay);
    this.#timer.unref();
  }

  async #deliver(row: DueDelivery, now: Date): Promise<RowOutcome> {
    const { db } = this.#deps;
    const leaseUntil = new Date(now.getTime() + this.#leaseMilliseconds).toISOString();
    if (!(await claimDelivery(db, row, leaseUntil))) return 'lost';
    if (row.webhookUrl === null) {
      await markDelivered(db, row.id, now, { attempts: row.attempts, status: null, note: 'no contact' });
      return 'noContact';
    }
    const attempt = await this.#attempt(row, row.webhookUrl, now);
    const attempts = row.attempts + 1;
    if (attempt.ok) {
      await markDelivered(db, row.id, now, { attempts, status: attempt.status, note: null });
      return 'delivered';
    }
    const gaveUp = attempts >= this.config.maxAttempts;
    const error = gaveUp ? `gave up after ${attempts} attempts: ${attempt.error}` : attempt.error;
    const nextAttemptAt = gaveUp ? NEVER : new Date(now.getTime() + this.#retryDelay(attempts)).toISOString();
    if (!(await markFailed(db, row.id, leaseUntil, { attempts, nextAttemptAt, status: attempt.status, error }))) return 'lost';
    if (gaveUp) this.#log?.warn({ deliveryId: row.id, merchantId: row.merchantId, event: row.event, attempts, error }, 'gave up delivering a webhook');
    return gaveUp ? 'gaveUp' : 'failed';
  }

  async #attempt(row: DueDelivery, registered: string, now: Date): Promise<Attempt> {
    let url: URL;
    try {
      url = new URL(webhookTargetUri(registered));
    } catch {
      return { ok: false, status: null, error: 'url invalid' };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, status: null, error: `url refused: scheme ${url.protocol}` };
    if (url.username !== '' || url.password !== '') return { ok: false, status: null, error: 'url refused: credentials in the url' };
    if (row.webhookSecret === null) return { ok: false, status: null, error: 'no webhook secret' };
    const body = Buffer.from(row.body, 'utf8');
    let headers: Record<string, string>;
    try {
      const options = this.#deps.randomBytes ? { now, randomBytes: this.#deps.randomBytes } : { now };
      headers = { ...(await signWebhook({ url: url.href, body }, { merchantId: row.merchantId, secret: row.webhookSecret }, options)), 'user-agent': 'steward-webhooks' };
    } catch (error) {
      if (isStewardError(error) && error.code === 'STW_WEBHOOK_SECRET_INVALID') return { ok: false, status: null, error: 'webhook secret invalid' };
      throw error;
    }
    const result = await postWebhook(this.#fetch, { url: url.href, headers, body }, this.config.timeoutMilliseconds);
    if (result.kind === 'failed') return { ok: false, status: null, error: result.error };
    if (result.status >= 200 && result.status < 300) return { ok: true, status: result.status };
    return { ok: false, status: result.status, error: `HTTP ${result.status}` };
  }

  /** 10 s, 20 s, 40 s, ... after the 1st, 2nd, 3rd failed attempt, at most `maxRetryMilliseconds`. */
  #retryDelay(attempts: number): number {
    return Math.min(this.config.firstRetryMilliseconds * 2 ** (attempts - 1), this.config.maxRetryMilliseconds);
  }
}
