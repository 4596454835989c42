// Selector matching and its stored form.
import t from 'tap';
import { normaliseSelector, selectorMatches } from '../../../../server/fleet/rollouts/selector.js';
import { device } from './rollout-fixtures.js';

t.test('an empty selector matches every device', async (t) => {
  t.ok(selectorMatches({}, device('d1')));
  t.ok(selectorMatches(normaliseSelector({ tags: [], deviceIds: [] }), device('d1')), 'empty lists are dropped, not "nobody"');
});

t.test('within a kind any value matches; between kinds all must', async (t) => {
  const selector = { hardwareModels: ['t100', 't200'], tags: ['a', 'b'] };
  t.ok(selectorMatches(selector, device('d1', { hardwareModel: 't200', tags: ['b', 'z'] })));
  t.notOk(selectorMatches(selector, device('d1', { hardwareModel: 't300', tags: ['a'] })), 'model outside the list');
  t.notOk(selectorMatches(selector, device('d1', { hardwareModel: 't100', tags: ['z'] })), 'no tag of the list');
  t.notOk(selectorMatches({ merchantIds: ['m1'] }, device('d1', { merchantId: null })), 'unassigned device vs a merchant list');
  t.ok(selectorMatches({ deviceIds: ['d1'] }, device('d1')));
  t.notOk(selectorMatches({ deviceIds: ['d1'] }, device('d2')));
});

t.test('the stored form drops duplicates and empty kinds', async (t) => {
  t.same(normaliseSelector({ tags: ['a', 'a', 'b'], merchantIds: [] }), { tags: ['a', 'b'] });
  t.same(normaliseSelector(undefined), {});
});
