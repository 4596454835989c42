import t from 'tap';
import { loadConfig } from '../../../server/index.js';
import { WebhookDispatcher } from '../../../server/webhooks/index.js';
import { forEachDatabase } from '../../helpers/databases.js';
import { startTestServer } from '../../helpers/server-harness.js';
import { addMerchant, deliveryRow, enqueue, T0 } from './webhook-fixtures.js';
import { startWebhookReceiver } from './webhook-receiver.js';

const silent = { warn: () => {}, error: () => {} };

t.test('the settings come from STEWARD_WEBHOOK_INTERVAL_MS and STEWARD_WEBHOOK_TIMEOUT_MS, over 2000 and 5000 ms', async (t) => {
  t.match(loadConfig({}), { webhookIntervalMilliseconds: 2000, webhookTimeoutMilliseconds: 5000 });
  t.match(loadConfig({ STEWARD_WEBHOOK_INTERVAL_MS: '0', STEWARD_WEBHOOK_TIMEOUT_MS: '1500' }), { webhookIntervalMilliseconds: 0, webhookTimeoutMilliseconds: 1500 });
  t.throws(() => loadConfig({ STEWARD_WEBHOOK_TIMEOUT_MS: 'soon' }), { code: 'STW_REQUEST_INVALID' });
});

t.test('start() polls until stop(), which waits for the run in progress', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    let secret = '';
    const receiver = await startWebhookReceiver(t, { secret: () => secret, now: () => T0 });
    secret = await addMerchant(db, 'M1', receiver.url);
    const id = await enqueue(db, 'M1');
    const dispatcher = new WebhookDispatcher({ db, clock: () => T0 }, { intervalMilliseconds: 5, allowPrivateNetworks: true });
    dispatcher.start(silent);
    const request = await receiver.next();
    await dispatcher.stop();
    t.ok(request.verification.ok);
    t.equal((await deliveryRow(db, id)).delivered_at, T0.toISOString(), 'recorded before stop() resolved');
  });
});

t.test('a server delivers the outbox in its background work and stops delivering when closed', async (t) => {
  await forEachDatabase(t, async (t, database) => {
    let secret = '';
    const receiver = await startWebhookReceiver(t, { secret: () => secret, now: () => T0 });
    const server = await startTestServer(t, { sharedDatabase: database, clock: () => T0, config: { webhookIntervalMilliseconds: 5, webhookAllowPrivateNetworks: true } });
    secret = await addMerchant(database.db, 'M1', receiver.url);
    const id = await enqueue(database.db, 'M1');
    const request = await receiver.next();
    await server.app.close();
    t.ok(request.verification.ok, 'signed with the merchant secret');
    t.equal((await deliveryRow(database.db, id)).delivered_at, T0.toISOString());
  });
});

t.test('a server refuses to start without a time limit for webhook requests', async (t) => {
  await t.rejects(startTestServer(t, { config: { webhookTimeoutMilliseconds: 0 } }), { code: 'STW_CONFIG_INVALID' });
});
