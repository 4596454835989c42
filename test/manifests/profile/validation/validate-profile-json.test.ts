import t from 'tap';
import { ManifestError } from '../../../../manifests/errors.js';
import { PROFILE_ISSUE_CODES, validateProfile, validateProfileJson } from '../../../../manifests/profile/validation/index.js';
import type { ProfileIssue } from '../../../../manifests/profile/validation/index.js';
import type * as ValidateProfileJsonModule from '../../../../manifests/profile/validation/validate-profile-json.js';
import { baseProfile, fieldsFromWire, profileWith } from '../../../fixtures/profiles/wire-profile.js';

const pairs = (issues: readonly ProfileIssue[]): string[] => issues.map((i) => `${i.field} ${i.code}`).sort();

t.test('a form sees every structural problem of a document at once', async (t) => {
  const issues = validateProfileJson({
    _type: 'steward-profile',
    schema_version: 1,
    version: '3',
    merchant_id: 'M-1',
    receipt_header: 'Cafe Lumen',
    mcc: '5812',
    currency: 'EUR',
    time_zone: 'Europe/Paris',
    fees: { debit: { rate_bps: 30, cap: 10 }, credit: null, schemes: { visa: 'cheap' }, surcharge: 1 },
    settlement_account: { type: 'iban', iban: 7630006000 },
    limits: [],
  });
  t.same(pairs(issues), [
    'fees.credit STW_PROFILE_JSON_TYPE',
    'fees.debit.cap STW_PROFILE_UNKNOWN_FIELD',
    'fees.schemes.visa STW_PROFILE_JSON_TYPE',
    'fees.surcharge STW_PROFILE_UNKNOWN_FIELD',
    'limits STW_PROFILE_JSON_TYPE',
    'merchant_name STW_PROFILE_REQUIRED',
    'receipt_header STW_PROFILE_JSON_TYPE',
    'settlement_account.iban STW_PROFILE_JSON_TYPE',
    'terminal_id STW_PROFILE_REQUIRED',
    'version STW_PROFILE_JSON_TYPE',
  ]);
});

t.test('parts that could be read are still checked by the rules', async (t) => {
  const json = profileWith((p) => {
    delete p.terminal_id;
    p.fees.credit.rate_bps = 'high';
    p.fees.debit.cap_minor = -1;
    p.limits = { max_transaction_minor: 1000, daily_total_minor: 10 };
  });
  t.same(pairs(validateProfileJson(json)), [
    'fees.credit.rate_bps STW_PROFILE_JSON_TYPE',
    'fees.debit.cap_minor STW_PROFILE_FEE_CAP',
    'limits.daily_total_minor STW_PROFILE_LIMIT_DAILY',
    'terminal_id STW_PROFILE_REQUIRED',
  ]);
});

t.test('unknown top-level fields are kept by the document model, so they are not issues', async (t) => {
  t.same(validateProfileJson({ ...baseProfile(), x_future_field: { any: 'thing' } }), []);
});

t.test('null is not an absent optional field', async (t) => {
  const json = profileWith((p) => {
    p.settlement_account.bic = null;
    p.limits.max_refund_minor = null;
  });
  t.same(pairs(validateProfileJson(json)), ['limits.max_refund_minor STW_PROFILE_JSON_TYPE', 'settlement_account.bic STW_PROFILE_JSON_TYPE']);
});

t.test('contract bounds are optional: without them only the absolute rules apply', async (t) => {
  const json = profileWith((p) => (p.fees.credit.rate_bps = 900));
  t.same(validateProfileJson(json), []);
  const bounds = { credit: { minBps: 80, maxBps: 180 }, schemes: { amex: { minBps: 200, maxBps: 300 } } };
  t.same(pairs(validateProfileJson(json, { bounds })), ['fees.credit.rate_bps STW_PROFILE_FEE_OUT_OF_BOUNDS']);
  t.same(pairs(validateProfile(fieldsFromWire(json), { bounds })), ['fees.credit.rate_bps STW_PROFILE_FEE_OUT_OF_BOUNDS']);
  t.same(pairs(validateProfileJson(json, { bounds: { credit: { minBps: 80, maxBps: 180 } } })), ['fees.credit.rate_bps STW_PROFILE_FEE_OUT_OF_BOUNDS', 'fees.schemes.amex.rate_bps STW_PROFILE_FEE_OUT_OF_BOUNDS'], 'amex without a range of its own is held to the credit range');
});

t.test('a scheme named in the contract is accepted even if not a known scheme', async (t) => {
  const json = profileWith((p) => (p.fees.schemes.local_debit = { rate_bps: 5 }));
  t.same(pairs(validateProfileJson(json)), ['fees.schemes.local_debit STW_PROFILE_SCHEME_UNKNOWN']);
  t.same(validateProfileJson(json, { bounds: { schemes: { local_debit: { minBps: 0, maxBps: 10 } } } }), []);
});

t.test('typed fields with values the wire form cannot express are still caught', async (t) => {
  const fields = fieldsFromWire(baseProfile());
  const issues = validateProfile({
    ...fields,
    version: 1.5,
    fees: { ...fields.fees, debit: { rateBps: 30.5, capMinor: 10.5, fixedMinor: Number.NaN } },
    limits: { maxTransactionMinor: Number.POSITIVE_INFINITY, maxRefundMinor: 1, dailyTotalMinor: 0.5 },
  });
  t.same(pairs(issues), [
    'fees.debit.cap_minor STW_PROFILE_FEE_CAP',
    'fees.debit.fixed_minor STW_PROFILE_FEE_FIXED',
    'fees.debit.rate_bps STW_PROFILE_FEE_RATE',
    'limits.daily_total_minor STW_PROFILE_LIMIT',
    'limits.max_transaction_minor STW_PROFILE_LIMIT',
    'version STW_PROFILE_VERSION',
  ]);
});

t.test('issue codes are unique and all carry the STW_PROFILE_ prefix', async (t) => {
  t.equal(new Set(PROFILE_ISSUE_CODES).size, PROFILE_ISSUE_CODES.length);
  t.ok(PROFILE_ISSUE_CODES.every((code) => /^STW_PROFILE_[A-Z0-9_]+$/.test(code)));
});

t.test('if the document model still refuses what the rules passed, its finding becomes an issue', async (t) => {
  const { validateProfileJson: validateWithStrictModel } = await t.mockImport<typeof ValidateProfileJsonModule>(
    '../../../../manifests/profile/validation/validate-profile-json.js',
    {
      '../../../../manifests/profile/profile-document.js': {
        ProfileDocument: {
          fromJSON(): never {
            throw new ManifestError('STW_MANIFEST_INVALID', 'profile.fees.debit.rate_bps is odd', { details: { field: 'profile.fees.debit.rate_bps' } });
          },
        },
      },
    },
  );
  t.same(pairs(validateWithStrictModel(baseProfile())), ['fees.debit.rate_bps STW_PROFILE_INVALID']);
});
