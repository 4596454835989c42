// Outbox housekeeping: finished notifications past the retention go, pending ones stay.
import t from 'tap';
import { pruneWebhookDeliveries } from '../../../server/webhooks/index.js';
import { NEVER } from '../../../server/webhooks/webhook-deliveries.js';
import { forEachDatabase } from '../../helpers/databases.js';
import { addMerchant, at, enqueue } from './webhook-fixtures.js';

const DAY = 86_400_000;

t.test('delivered and given-up rows older than the retention are deleted; pending and recent ones stay', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await addMerchant(db, 'M1', 'https://merchant.example/hooks');
    const oldDelivered = await enqueue(db, 'M1', at(0));
    const oldGivenUp = await enqueue(db, 'M1', at(0));
    const oldPending = await enqueue(db, 'M1', at(0));
    const recentDelivered = await enqueue(db, 'M1', at(20 * DAY));
    await db.updateTable('webhook_deliveries').set({ delivered_at: at(1000).toISOString() }).where('id', '=', oldDelivered).execute();
    await db.updateTable('webhook_deliveries').set({ next_attempt_at: NEVER, attempts: 12, last_error: 'gave up after 12 attempts: 500' }).where('id', '=', oldGivenUp).execute();
    await db.updateTable('webhook_deliveries').set({ attempts: 5, next_attempt_at: at(31 * DAY).toISOString() }).where('id', '=', oldPending).execute();
    await db.updateTable('webhook_deliveries').set({ delivered_at: at(20 * DAY + 1000).toISOString() }).where('id', '=', recentDelivered).execute();

    t.equal(await pruneWebhookDeliveries(db, at(31 * DAY), 0), 0, 'a retention of 0 keeps everything');
    t.equal(await pruneWebhookDeliveries(db, at(31 * DAY), 30 * 86_400), 2);
    const left = (await db.selectFrom('webhook_deliveries').select('id').execute()).map((row) => row.id).sort();
    t.same(left, [oldPending, recentDelivered].sort(), 'a row still being retried stays however old; a recent one stays');
  });
});
