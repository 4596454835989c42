import t from 'tap';
import { maskAccount, maskProfileJson } from '../../../manifests/index.js';
import { assertMasked, enqueueWebhook } from '../../../server/webhooks/index.js';
import { forEachDatabase } from '../../helpers/databases.js';
import { addMerchant, enqueue, FULL_IBAN, T0 } from './webhook-fixtures.js';

t.test('a queued notification is one row whose body is the JSON the merchant will receive', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await addMerchant(db, 'M1', 'https://merchant.example/hooks');
    const id = await enqueue(db, 'M1');
    const row = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    t.match(row, { merchant_id: 'M1', event: 'profile.change.requested', attempts: 0, next_attempt_at: T0.toISOString(), delivered_at: null, last_error: null });
    t.match(JSON.parse(row.body), { id, event: 'profile.change.requested', merchant_id: 'M1', created_at: T0.toISOString(), data: { settlement_account: { last_digits: '0189' } } });
    t.match(id, /^whk_[0-9a-f-]{36}$/);
  });
});

t.test('a merchant without a registered URL gets no row', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await addMerchant(db, 'M1', null);
    const id = await db.transaction().execute((trx) => enqueueWebhook(trx, { merchantId: 'M1', event: 'profile.published', data: { version: 2 } }, T0));
    t.equal(id, undefined);
    t.same(await db.selectFrom('webhook_deliveries').select('id').execute(), []);
  });
});

t.test('a payload with an account number that is not masked is refused and the transaction writes nothing', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await addMerchant(db, 'M1', 'https://merchant.example/hooks');
    const unmasked = { settlement_account: { type: 'iban', iban: FULL_IBAN } };
    await t.rejects(
      db.transaction().execute((trx) => enqueueWebhook(trx, { merchantId: 'M1', event: 'profile.change.requested', data: unmasked }, T0)),
      { code: 'STW_WEBHOOK_DATA_UNMASKED', details: { path: 'data.settlement_account.iban' } },
    );
    t.same(await db.selectFrom('webhook_deliveries').select('id').execute(), []);
  });
});

t.test('assertMasked looks at account fields at any depth and passes what the masking functions produce', async (t) => {
  const refused = (data: unknown) => t.throws(() => assertMasked(data), { code: 'STW_WEBHOOK_DATA_UNMASKED' });
  refused({ iban: FULL_IBAN });
  refused({ changes: [{ before: { settlement_account: { type: 'us', routing_number: '011000015', account_number: '123456789012' } } }] });
  refused({ after: { accountNumber: 62220202001122 } });
  refused({ settlement_account: 'FR7630006000011234567890189' });
  const error = (() => {
    try {
      assertMasked({ nested: { iban: FULL_IBAN } });
    } catch (caught) {
      return caught as Error & { details?: unknown };
    }
    return undefined;
  })();
  t.notOk(JSON.stringify(error?.details).includes('0189') || error?.message.includes('0189'), 'the error names the path, never the value');

  t.doesNotThrow(() => assertMasked({ settlement_account: maskAccount({ type: 'iban', iban: FULL_IBAN, bic: 'BNPAFRPP' }) }));
  t.doesNotThrow(() => assertMasked({ settlement_account: maskAccount({ type: 'us', routingNumber: '011000015', accountNumber: '123456789012' }) }));
  t.doesNotThrow(() => assertMasked({ after: maskProfileJson({ settlement_account: { type: 'cn', cnaps: '102100099996', account_number: '6222020200112233445' } }) }));
  t.doesNotThrow(() => assertMasked({ version: 3, change_id: 'chg_12345678901234', routing_number: '011000015' }), 'other fields and bank identifiers');
});
