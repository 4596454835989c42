import t from 'tap';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../../../server/db/index.js';
import { WebhookDispatcher, type WebhookFetch } from '../../../server/webhooks/index.js';
import { claimDelivery, dueDeliveries } from '../../../server/webhooks/webhook-deliveries.js';
import { forEachDatabase } from '../../helpers/databases.js';
import { addMerchant, at, deliveryRow, enqueue, FULL_IBAN, T0 } from './webhook-fixtures.js';
import { startWebhookReceiver } from './webhook-receiver.js';

const NEVER = '9999-12-31T23:59:59.999Z';

/** The receivers in these tests listen on 127.0.0.1, which production refuses. */
const LOOPBACK = { allowPrivateNetworks: true } as const;

t.test('a due notification is delivered once, signed, with the stored body byte for byte and the account masked', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    let secret = '';
    const receiver = await startWebhookReceiver(t, { secret: () => secret, now: () => T0, merchantId: 'M1' });
    secret = await addMerchant(db, 'M1', receiver.url);
    const id = await enqueue(db, 'M1');
    const dispatcher = new WebhookDispatcher({ db, clock: () => T0 }, LOOPBACK);

    t.same(await dispatcher.runOnce(T0), { due: 1, delivered: 1, failed: 0, gaveUp: 0, noContact: 0, lost: 0 });
    t.same(await dispatcher.runOnce(at(60_000)), { due: 0, delivered: 0, failed: 0, gaveUp: 0, noContact: 0, lost: 0 }, 'nothing is sent twice');

    t.equal(receiver.received.length, 1);
    const [request] = receiver.received;
    t.equal(request?.method, 'POST');
    t.equal(request?.path, '/hooks/steward');
    t.same(request?.verification, { ok: true, merchantId: 'M1', created: T0, nonce: request?.verification.ok ? request.verification.nonce : '' });
    const row = await deliveryRow(db, id);
    t.equal(request?.body.toString('utf8'), row.body, 'the exact stored body');
    t.same(row, { ...row, delivered_at: T0.toISOString(), attempts: 1, last_status: 204, last_error: null });

    const body = JSON.parse(request!.body.toString('utf8')) as { id: string; event: string; merchant_id: string; data: { settlement_account: { iban: string; last_digits: string } } };
    t.equal(body.id, id, 'the id receivers drop duplicates by');
    t.equal(body.event, 'profile.change.requested');
    t.equal(body.merchant_id, 'M1');
    t.equal(body.data.settlement_account.last_digits, '0189');
    t.equal(body.data.settlement_account.iban, 'FR76 **** **** 0189');
    const wire = request!.body.toString('utf8');
    t.notOk(wire.includes(FULL_IBAN), 'no full IBAN on the wire');
    t.notOk(wire.includes(FULL_IBAN.slice(4, -4)), 'not even its middle digits');
  });
});

t.test('a receiver answering 500 then 200 gets the same body again after the backoff, signed afresh', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    let now = T0;
    let secret = '';
    const receiver = await startWebhookReceiver(t, { secret: () => secret, now: () => now, answer: (n) => (n === 0 ? 500 : 200) });
    secret = await addMerchant(db, 'M1', receiver.url);
    const id = await enqueue(db, 'M1');
    const dispatcher = new WebhookDispatcher({ db, clock: () => now }, LOOPBACK);

    t.match(await dispatcher.runOnce(now), { due: 1, failed: 1, delivered: 0 });
    t.same(await deliveryRow(db, id), { ...(await deliveryRow(db, id)), attempts: 1, last_status: 500, last_error: 'HTTP 500', delivered_at: null, next_attempt_at: at(10_000).toISOString() });

    now = at(9_999);
    t.match(await dispatcher.runOnce(now), { due: 0 }, 'not before the 10 s backoff');
    now = at(10_000);
    t.match(await dispatcher.runOnce(now), { due: 1, delivered: 1 });
    t.same(await deliveryRow(db, id), { ...(await deliveryRow(db, id)), attempts: 2, last_status: 200, last_error: null, delivered_at: at(10_000).toISOString() });

    t.equal(receiver.received.length, 2);
    const [first, second] = receiver.received;
    t.ok(first?.verification.ok && second?.verification.ok, 'both attempts verify');
    t.same(first?.body, second?.body, 'the same body both times');
    t.not(first?.headers['signature-input'], second?.headers['signature-input'], 'a fresh created and nonce');
  });
});

t.test('a receiver that always fails is retried with doubling waits and then given up', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    let secret = '';
    const receiver = await startWebhookReceiver(t, { secret: () => secret, now: () => T0, answer: () => 503 });
    secret = await addMerchant(db, 'M1', receiver.url);
    const id = await enqueue(db, 'M1');
    const dispatcher = new WebhookDispatcher({ db, clock: () => T0 }, { ...LOOPBACK, maxAttempts: 4 });

    const schedule: string[] = [];
    for (const time of [at(0), at(10_000), at(30_000)]) {
      t.match(await dispatcher.runOnce(time), { due: 1, failed: 1 });
      schedule.push((await deliveryRow(db, id)).next_attempt_at);
    }
    t.same(schedule, [at(10_000), at(30_000), at(70_000)].map((d) => d.toISOString()), '10 s, 20 s, 40 s');
    t.match(await dispatcher.runOnce(at(70_000)), { due: 1, gaveUp: 1 });
    const row = await deliveryRow(db, id);
    t.same(row, { ...row, attempts: 4, last_status: 503, last_error: 'gave up after 4 attempts: HTTP 503', delivered_at: null, next_attempt_at: NEVER });
    t.match(await dispatcher.runOnce(new Date('2100-01-01T00:00:00Z')), { due: 0 }, 'never tried again');
    t.equal(receiver.received.length, 4);
  });
});

t.test('the wait between attempts is capped at maxRetryMilliseconds', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await addMerchant(db, 'M1', 'http://127.0.0.1:9/unused');
    const id = await enqueue(db, 'M1');
    await db.updateTable('webhook_deliveries').set({ attempts: 9 }).where('id', '=', id).execute();
    const fetch: WebhookFetch = async () => new Response(null, { status: 500 });
    await new WebhookDispatcher({ db, clock: () => T0, fetch }).runOnce(T0);
    t.equal((await deliveryRow(db, id)).next_attempt_at, at(3_600_000).toISOString(), '10 s * 2^9 would be 5120 s; one hour at most');
  });
});

t.test('a receiver that does not answer in time is recorded as a timeout and retried', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    let secret = '';
    const receiver = await startWebhookReceiver(t, { secret: () => secret, now: () => T0, answer: () => 'hang' });
    secret = await addMerchant(db, 'M1', receiver.url);
    const id = await enqueue(db, 'M1');
    t.match(await new WebhookDispatcher({ db, clock: () => T0 }, { ...LOOPBACK, timeoutMilliseconds: 150 }).runOnce(T0), { failed: 1 });
    const row = await deliveryRow(db, id);
    t.same(row, { ...row, attempts: 1, last_status: null, last_error: 'timeout after 150 ms', delivered_at: null, next_attempt_at: at(10_000).toISOString() });
    t.equal(receiver.received.length, 1, 'it was sent');
  });
});

t.test('a refused connection and a redirect are failed attempts; a redirect is not followed', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/hook`;
    await new Promise((resolve) => closed.close(resolve));
    await addMerchant(db, 'M1', closedUrl);
    let secret = '';
    const receiver = await startWebhookReceiver(t, { secret: () => secret, now: () => T0, answer: () => ({ status: 302, headers: { location: closedUrl } }) });
    secret = await addMerchant(db, 'M2', receiver.url);
    const refused = await enqueue(db, 'M1');
    const redirected = await enqueue(db, 'M2');
    t.match(await new WebhookDispatcher({ db, clock: () => T0 }, LOOPBACK).runOnce(T0), { due: 2, failed: 2 });
    t.match(await deliveryRow(db, refused), { attempts: 1, last_status: null, last_error: 'connection failed: ECONNREFUSED' });
    t.match(await deliveryRow(db, redirected), { attempts: 1, last_status: 302, last_error: 'HTTP 302' });
    t.equal(receiver.received.length, 1);
  });
});

t.test('a merchant without a URL at send time: the row is closed as "no contact" and nothing is sent', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    let calls = 0;
    const fetch: WebhookFetch = async () => (calls++, new Response(null, { status: 204 }));
    await addMerchant(db, 'M1', 'http://127.0.0.1:9/hook');
    const id = await enqueue(db, 'M1');
    await db.updateTable('merchants').set({ webhook_url: null }).where('id', '=', 'M1').execute();
    t.match(await new WebhookDispatcher({ db, clock: () => T0, fetch }).runOnce(T0), { due: 1, noContact: 1 });
    const row = await deliveryRow(db, id);
    t.same(row, { ...row, attempts: 0, last_status: null, last_error: 'no contact', delivered_at: T0.toISOString() });
    t.equal(calls, 0);
  });
});

t.test('URLs that are not http(s), carry credentials or do not parse, and bad secrets, are refused without a request', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    let calls = 0;
    const fetch: WebhookFetch = async () => (calls++, new Response(null, { status: 204 }));
    const cases = [
      { url: 'ftp://127.0.0.1/hook', secret: undefined, error: 'url refused: scheme ftp:' },
      { url: 'file:///etc/passwd', secret: undefined, error: 'url refused: scheme file:' },
      { url: 'http://user:pass@127.0.0.1:9/hook', secret: undefined, error: 'url refused: credentials in the url' },
      { url: 'not a url', secret: undefined, error: 'url invalid' },
      { url: 'http://127.0.0.1:9/hook', secret: 'too-short-a-secret', error: 'webhook secret invalid' },
    ];
    const ids: string[] = [];
    for (const [index, item] of cases.entries()) {
      await addMerchant(db, `M${index}`, item.url, item.secret);
      ids.push(await enqueue(db, `M${index}`));
    }
    t.match(await new WebhookDispatcher({ db, clock: () => T0, fetch }).runOnce(T0), { due: cases.length, failed: cases.length });
    for (const [index, item] of cases.entries()) {
      const row = await deliveryRow(db, ids[index]!);
      t.same([row.attempts, row.last_status, row.last_error], [1, null, item.error], item.url);
      t.notOk(row.last_error?.includes('too-short'), 'never the secret');
    }
    t.equal(calls, 0);
  });
});

t.test('two dispatchers on one database deliver every row exactly once', async (t) => {
  await forEachDatabase(t, async (t, { db, url }) => {
    const secrets: Record<string, string> = {};
    const receiver = await startWebhookReceiver(t, { secret: (merchantId) => secrets[merchantId] ?? '', now: () => T0 });
    secrets['M1'] = await addMerchant(db, 'M1', receiver.url);
    secrets['M2'] = await addMerchant(db, 'M2', receiver.url);
    const ids = new Set<string>();
    for (let i = 0; i < 12; i++) ids.add(await enqueue(db, i % 2 === 0 ? 'M1' : 'M2'));
    const other = openDatabase({ url });
    t.teardown(() => other.close());
    const first = new WebhookDispatcher({ db, clock: () => T0 }, { ...LOOPBACK, concurrency: 3 });
    const second = new WebhookDispatcher({ db: other.db, clock: () => T0 }, { ...LOOPBACK, concurrency: 3 });

    const [a, b] = await Promise.all([first.runOnce(T0), second.runOnce(T0)]);
    t.equal(a.delivered + b.delivered, 12, 'every row delivered');
    t.equal(a.lost + b.lost, a.due + b.due - 12, 'every other read lost its claim');
    t.equal(receiver.received.length, 12, 'twelve requests, not more');
    const seen = receiver.received.map((request) => (JSON.parse(request.body.toString('utf8')) as { id: string }).id);
    t.same(new Set(seen), ids, 'each id once');
    t.ok(receiver.received.every((request) => request.verification.ok), 'every request verifies');
    const undelivered = await db.selectFrom('webhook_deliveries').select('id').where('delivered_at', 'is', null).execute();
    t.same(undelivered, []);
  });
});

t.test('a claim compares the value it read: a replica that read the row before another claimed it loses', async (t) => {
  await forEachDatabase(t, async (t, { db, url }) => {
    await addMerchant(db, 'M1', 'http://127.0.0.1:9/hook');
    await enqueue(db, 'M1');
    const other = openDatabase({ url });
    t.teardown(() => other.close());
    const [mine] = await dueDeliveries(db, T0, 10, 12);
    const [theirs] = await dueDeliveries(other.db, T0, 10, 12);
    t.equal(await claimDelivery(other.db, theirs!, at(300_000).toISOString()), true, 'the first claim wins');
    t.equal(await claimDelivery(db, mine!, at(300_000).toISOString()), false, 'the stale read loses, even with the same lease');
    t.same(await dueDeliveries(db, at(299_999), 10, 12), [], 'claimed rows are not due until the lease ends');
    t.equal((await dueDeliveries(db, at(300_000), 10, 12)).length, 1, 'due again when the lease ends (a replica died mid-send)');
  });
});

t.test('a dispatcher whose lease ran out while it waited does not overwrite the attempt of the one that took over', async (t) => {
  await forEachDatabase(t, async (t, { db, url }) => {
    await addMerchant(db, 'M1', 'http://127.0.0.1:9/hook');
    const id = await enqueue(db, 'M1');
    const other = openDatabase({ url });
    t.teardown(() => other.close());
    const later = at(300_001);
    const takeover = new WebhookDispatcher({ db: other.db, clock: () => later, fetch: async () => new Response(null, { status: 500 }) });
    let takeoverSummary: unknown;
    // The slow send: while it is in flight, the lease ends and the other replica runs.
    const slow: WebhookFetch = async () => {
      takeoverSummary = await takeover.runOnce(later);
      return new Response(null, { status: 502 });
    };
    t.match(await new WebhookDispatcher({ db, clock: () => T0, fetch: slow }).runOnce(T0), { due: 1, lost: 1, failed: 0 });
    t.match(takeoverSummary, { due: 1, failed: 1 });
    const row = await deliveryRow(db, id);
    t.same([row.attempts, row.last_status, row.last_error, row.next_attempt_at], [1, 500, 'HTTP 500', new Date(later.getTime() + 10_000).toISOString()], "the other replica's record stands");
  });
});

t.test('while a row is being sent its lease covers the longest run the settings allow', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await addMerchant(db, 'M1', 'http://127.0.0.1:9/hook');
    const id = await enqueue(db, 'M1');
    const leases: string[] = [];
    const fetch: WebhookFetch = async () => {
      leases.push((await deliveryRow(db, id)).next_attempt_at);
      return new Response(null, { status: 500 });
    };
    await new WebhookDispatcher({ db, clock: () => T0, fetch }).runOnce(T0);
    await db.updateTable('webhook_deliveries').set({ next_attempt_at: T0.toISOString() }).where('id', '=', id).execute();
    // 20 rows, 4 at a time, 60 s each: a run may take 300 s; the lease is twice that.
    await new WebhookDispatcher({ db, clock: () => T0, fetch }, { timeoutMilliseconds: 60_000 }).runOnce(T0);
    t.same(leases, [at(300_000).toISOString(), at(600_000).toISOString()]);
  });
});

t.test('a dispatcher needs a time limit for its requests', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    t.throws(() => new WebhookDispatcher({ db, clock: () => T0 }, { timeoutMilliseconds: 0 }), { code: 'STW_REQUEST_INVALID' });
  });
});
