import t from 'tap';
import { validateContractBounds } from '../../../../manifests/profile/validation/index.js';
import { rangeFor } from '../../../../manifests/profile/validation/contract-bounds.js';

t.test('well-formed bounds have no issues', async (t) => {
  t.same(validateContractBounds({}), []);
  t.same(validateContractBounds({ debit: { minBps: 0, maxBps: 0 }, credit: { minBps: 80, maxBps: 10000 }, schemes: { amex: { minBps: 200, maxBps: 300 } }, maxFixedMinor: 0, maxCapMinor: 2000 }), []);
});

t.test('inverted, negative, fractional or out-of-scale ranges and negative maxima are reported by field', async (t) => {
  const issues = validateContractBounds({
    debit: { minBps: 60, maxBps: 20 },
    credit: { minBps: -1, maxBps: 100 },
    schemes: { amex: { minBps: 200, maxBps: 10001 }, jcb: { minBps: 1.5, maxBps: 3 } },
    maxFixedMinor: -1,
    maxCapMinor: 2.5,
  });
  t.same(
    issues.map((i) => `${i.field} ${i.code}`),
    ['debit', 'credit', 'schemes.amex', 'schemes.jcb', 'max_fixed_minor', 'max_cap_minor'].map((f) => `${f} STW_PROFILE_BOUNDS_INVALID`),
  );
});

t.test('a scheme without its own range is held to the span of the debit and credit ranges', async (t) => {
  const bounds = { debit: { minBps: 20, maxBps: 60 }, credit: { minBps: 80, maxBps: 180 }, schemes: { amex: { minBps: 200, maxBps: 300 } } };
  t.same(rangeFor(bounds, { scheme: 'amex' }), { minBps: 200, maxBps: 300 });
  t.same(rangeFor(bounds, { scheme: 'visa' }), { minBps: 20, maxBps: 180 });
  t.same(rangeFor({ credit: { minBps: 80, maxBps: 180 } }, { scheme: 'visa' }), { minBps: 80, maxBps: 180 });
  t.equal(rangeFor({ maxCapMinor: 10 }, { scheme: 'visa' }), undefined, 'no rate range at all');
  t.equal(rangeFor(undefined, 'debit'), undefined);
  t.equal(rangeFor({ schemes: {} }, { scheme: 'constructor' }), undefined, 'no prototype keys');
});
