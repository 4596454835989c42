import t from 'tap';
import { canonicalString, ProfileDocument } from '../../manifests/index.js';
import { validProfileJson } from '../helpers/profile-fixtures.js';

t.test('a valid profile reads into typed fields and round-trips', async (t) => {
  const json = validProfileJson({ x_future_field: 'kept' });
  const profile = ProfileDocument.fromBytes(Buffer.from(JSON.stringify(json)));
  t.equal(profile.version, 3);
  t.equal(profile.merchantId, 'M-1001');
  t.equal(profile.fields.fees.credit.capMinor, 500);
  t.equal(profile.fields.fees.schemes.get('amex')?.rateBps, 250);
  t.same(profile.fields.settlementAccount, { type: 'iban', iban: 'FR7630006000011234567890189', bic: 'BNPAFRPP' });
  t.equal(canonicalString(profile.toJSON()), canonicalString(json));
  t.equal(ProfileDocument.fromBytes(profile.toBytes()).toBytes().toString(), profile.toBytes().toString());
});

t.test('Chinese and US settlement accounts are read too', async (t) => {
  const cn = ProfileDocument.fromJSON(validProfileJson({ currency: 'CNY', time_zone: 'Asia/Shanghai', settlement_account: { type: 'cn', cnaps: '102100099996', account_number: '6222020200112233446' } }));
  t.same(cn.fields.settlementAccount, { type: 'cn', cnaps: '102100099996', accountNumber: '6222020200112233446' });
  const us = ProfileDocument.fromJSON(validProfileJson({ currency: 'USD', time_zone: 'America/New_York', settlement_account: { type: 'us', routing_number: '021000021', account_number: '123456789' } }));
  t.same(us.fields.settlementAccount, { type: 'us', routingNumber: '021000021', accountNumber: '123456789' });
});

t.test('when a profile does not have the required shape, the terminal refuses it', async (t) => {
  const cases: [string, unknown, string][] = [
    ['wrong _type', validProfileJson({ _type: 'profile' }), 'STW_MANIFEST_INVALID'],
    ['future schema', validProfileJson({ schema_version: 2 }), 'STW_MANIFEST_INVALID'],
    ['version zero', validProfileJson({ version: 0 }), 'STW_MANIFEST_INVALID'],
    ['MCC of three digits', validProfileJson({ mcc: '581' }), 'STW_MANIFEST_INVALID'],
    ['lower-case currency', validProfileJson({ currency: 'eur' }), 'STW_MANIFEST_INVALID'],
    ['unknown time zone', validProfileJson({ time_zone: 'Europe/Atlantis' }), 'STW_MANIFEST_INVALID'],
    ['fee rate as a float', validProfileJson({ fees: { debit: { rate_bps: 0.3 }, credit: { rate_bps: 1 } } }), 'STW_MANIFEST_INVALID'],
    ['fee rate above 100 %', validProfileJson({ fees: { debit: { rate_bps: 10001 }, credit: { rate_bps: 1 } } }), 'STW_MANIFEST_INVALID'],
    ['negative cap', validProfileJson({ fees: { debit: { rate_bps: 1, cap_minor: -1 }, credit: { rate_bps: 1 } } }), 'STW_MANIFEST_INVALID'],
    ['no credit fee', validProfileJson({ fees: { debit: { rate_bps: 1 } } }), 'STW_MANIFEST_INVALID'],
    ['unknown account type', validProfileJson({ settlement_account: { type: 'paypal', email: 'x' } }), 'STW_MANIFEST_INVALID'],
    ['IBAN with spaces', validProfileJson({ settlement_account: { type: 'iban', iban: 'FR76 3000 6000' } }), 'STW_MANIFEST_INVALID'],
    ['US account with letters', validProfileJson({ settlement_account: { type: 'us', routing_number: '021000021', account_number: '12AB' } }), 'STW_MANIFEST_INVALID'],
    ['zero transaction limit', validProfileJson({ limits: { max_transaction_minor: 0 } }), 'STW_MANIFEST_INVALID'],
    ['terminal id with a slash', validProfileJson({ terminal_id: 'T/1' }), 'STW_MANIFEST_INVALID'],
  ];
  for (const [name, json, code] of cases) t.throws(() => ProfileDocument.fromJSON(json), { code }, name);
  t.throws(() => ProfileDocument.fromBytes(Buffer.from('{"_type":')), { code: 'STW_MANIFEST_MALFORMED_JSON' }, 'truncated bytes');
  t.throws(() => ProfileDocument.fromBytes(Buffer.alloc(70 * 1024, 0x20)), { code: 'STW_MANIFEST_MALFORMED_JSON' }, 'oversized');
});
