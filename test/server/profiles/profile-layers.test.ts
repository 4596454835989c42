// Layers cascade default -> merchant -> terminal; patches replace whole keys; diffs are masked.
import t from 'tap';
import { ProfileDocument, validateProfileJson } from '../../../manifests/index.js';
import { checkLayers } from '../../../server/profiles/check-profile.js';
import { profileDiff } from '../../../server/profiles/profile-diff.js';
import { applyPatch, applyToLayers, emptyLayers, isSensitivePatch, parseLayerName } from '../../../server/profiles/profile-layers.js';
import { resolveProfile } from '../../../server/profiles/resolve-profile.js';
import { fullMerchantLayer, OLD_IBAN } from '../../helpers/profile-server.js';

const defaults = { currency: 'EUR', time_zone: 'Europe/Paris', mcc: '5999', limits: { max_transaction_minor: 100000 } };

t.test('resolution: the terminal override wins over the merchant layer, which wins over the default', async (t) => {
  const merchant = fullMerchantLayer({ mcc: '5812', limits: undefined });
  delete merchant['limits'];
  const layers = { merchant, terminals: { 'T-2': { receipt_header: ['Till 2'], limits: { max_transaction_minor: 5000 } } } };
  const one = resolveProfile(defaults, layers, { merchantId: 'M1', terminalId: 'T-1', version: 4 });
  const two = resolveProfile(defaults, layers, { merchantId: 'M1', terminalId: 'T-2', version: 4 });
  t.equal(one['mcc'], '5812', 'merchant over default');
  t.same(one['limits'], { max_transaction_minor: 100000 }, 'the default shows through where the merchant sets nothing');
  t.same(two['limits'], { max_transaction_minor: 5000 }, 'the override replaces limits whole');
  t.same(two['receipt_header'], ['Till 2']);
  t.same(one['receipt_header'], merchant['receipt_header']);
  t.same([two['version'], two['merchant_id'], two['terminal_id'], two['_type']], [4, 'M1', 'T-2', 'steward-profile']);
  t.same(validateProfileJson(two), [], 'the resolved document validates');
  t.equal(ProfileDocument.fromJSON(two).toBytes().toString(), ProfileDocument.fromJSON(JSON.parse(JSON.stringify(two))).toBytes().toString(), 'rendering is deterministic');
});

t.test('a patch replaces whole keys, null removes a key, an emptied override disappears', async (t) => {
  t.same(applyPatch({ fees: { debit: { rate_bps: 1 }, credit: { rate_bps: 2 } } }, { fees: { debit: { rate_bps: 3 }, credit: { rate_bps: 4 } } }), { fees: { debit: { rate_bps: 3 }, credit: { rate_bps: 4 } } });
  t.same(applyPatch({ mcc: '5812', currency: 'EUR' }, { mcc: null }), { currency: 'EUR' });
  const withOverride = applyToLayers(emptyLayers(), { kind: 'terminal', terminalId: 'T-1' }, { mcc: '5812' });
  t.same(withOverride.terminals, { 'T-1': { mcc: '5812' } });
  t.same(applyToLayers(withOverride, { kind: 'terminal', terminalId: 'T-1' }, { mcc: null }).terminals, {});
  t.ok(isSensitivePatch({ fees: {} }));
  t.ok(isSensitivePatch({ settlement_account: null }), 'removing an override account is sensitive too');
  t.notOk(isSensitivePatch({ receipt_header: [], time_zone: 'Europe/Paris' }));
  t.same(parseLayerName('terminal:T-1'), { kind: 'terminal', terminalId: 'T-1' });
  t.equal(parseLayerName('terminal:../x'), undefined);
  t.equal(parseLayerName('operator'), undefined);
});

t.test('a layer set is publishable only if the merchant level and every override validate', async (t) => {
  const layers = { merchant: fullMerchantLayer(), terminals: { 'T-9': { limits: { max_transaction_minor: 10, max_refund_minor: 20 } } } };
  const issues = checkLayers({ defaults: {}, layers, merchantId: 'M1', version: 2, bounds: undefined });
  t.same(issues.map((issue) => [issue.field, issue.code, issue.params?.['terminal_id']]), [['limits.max_refund_minor', 'STW_PROFILE_LIMIT_REFUND', 'T-9']]);
  const merchantOnly = checkLayers({ defaults: {}, layers: { merchant: { ...fullMerchantLayer(), mcc: '12' }, terminals: { 'T-9': { receipt_header: [] } } }, merchantId: 'M1', version: 2, bounds: undefined });
  t.same(merchantOnly.map((issue) => issue.code), ['STW_PROFILE_MCC'], 'an issue of the merchant level is not repeated per override');
});

t.test('the diff walks to the leaves and masks accounts even when only hidden digits change', async (t) => {
  const before = { defaults: {}, layers: { merchant: fullMerchantLayer(), terminals: {} } };
  const sameTail = 'FR7630004000031234567890189'; // same last four as OLD_IBAN, another bank
  const after = { defaults: {}, layers: { merchant: fullMerchantLayer({ settlement_account: { type: 'iban', iban: sameTail, bic: 'BNPAFRPP' }, mcc: '5411' }), terminals: { 'T-1': { receipt_header: ['Till'] } } } };
  const diff = profileDiff(before, after);
  t.same(diff.map((entry) => entry.path), ['mcc', 'settlement_account.iban', 'terminals.T-1.receipt_header']);
  const account = diff.find((entry) => entry.path === 'settlement_account.iban');
  t.same([account?.before, account?.after], ['FR76 **** **** 0189', 'FR76 **** **** 0189'], 'shown as a change, masked');
  t.notOk(JSON.stringify(diff).includes(OLD_IBAN.slice(4, 20)));
  const removed = profileDiff({ defaults: {}, layers: { merchant: {}, terminals: { 'T-1': { settlement_account: { type: 'us', routing_number: '021000021', account_number: '123456789' } } } } }, { defaults: {}, layers: emptyLayers() });
  t.same(removed.find((entry) => entry.path === 'terminals.T-1.settlement_account.account_number'), { path: 'terminals.T-1.settlement_account.account_number', before: '**** **** 6789', after: null });
});
