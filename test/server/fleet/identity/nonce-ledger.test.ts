import t from 'tap';
import { NonceLedger } from '../../../../server/fleet/identity/nonce-ledger.js';
import { forEachDatabase } from '../../../helpers/databases.js';

t.test('nonces: new once per device, replays refused, expired ones pruned', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    const ledger = new NonceLedger(db);
    const soon = '2027-06-01T12:05:00.000Z';
    const later = '2027-06-01T12:10:00.000Z';
    const results = await Promise.all([
      ledger.record('dev_a', 'n1', soon),
      ledger.record('dev_a', 'n1', soon),
      ledger.record('dev_b', 'n1', soon),
      ledger.record('dev_a', 'n2', later),
      ledger.record('dev_a', 'n1', soon),
    ]);
    t.same(results, [true, false, true, true, false], 'within one batch and across batches, only the first use is new');
    t.equal(await ledger.record('dev_b', 'n1', soon), false, 'a later replay');
    t.equal(await ledger.prune(new Date('2027-06-01T12:06:00Z')), 2, 'the two that expired');
    t.equal(await ledger.prune(new Date('2027-06-01T12:06:00Z')), 0);
    t.equal(await ledger.record('dev_a', 'n2', later), false, 'an unexpired nonce is still remembered');
  });
});

t.test('a thousand concurrent nonces, a few of them repeated', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    const ledger = new NonceLedger(db);
    const nonces = Array.from({ length: 1000 }, (_, index) => `n${index % 990}`);
    const results = await Promise.all(nonces.map((nonce) => ledger.record('dev_a', nonce, '2027-06-01T12:05:00.000Z')));
    t.equal(results.filter(Boolean).length, 990);
  });
});
