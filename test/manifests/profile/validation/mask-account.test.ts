import t from 'tap';
import { describeAccount, maskAccount, maskAccountNumber, maskIban, maskProfileJson } from '../../../../manifests/profile/validation/index.js';
import { baseProfile } from '../../../fixtures/profiles/wire-profile.js';

t.test('an account number shows only its last four characters', async (t) => {
  t.equal(maskAccountNumber('6222020200112233446'), '**** **** 3446');
  t.equal(maskAccountNumber('123456789'), '**** **** 6789');
  t.equal(maskAccountNumber('6222 0202 0011 2233 446'), '**** **** 3446', 'spaces ignored');
});

t.test('a short account number never shows more than half of itself', async (t) => {
  t.equal(maskAccountNumber('12345678'), '**** **** 5678');
  t.equal(maskAccountNumber('1234567'), '**** **** 567');
  t.equal(maskAccountNumber('4321'), '**** **** 21');
  t.equal(maskAccountNumber('1'), '**** ****');
  t.equal(maskAccountNumber(''), '**** ****');
});

t.test('an IBAN keeps its country, check digits and last four', async (t) => {
  t.equal(maskIban('FR7630006000011234567890189'), 'FR76 **** **** 0189');
  t.equal(maskIban('NO9386011117947'), 'NO93 **** **** 7947');
  t.equal(maskIban('fr76 3000 6000 0112 3456 7890 189'), 'FR76 **** **** 0189', 'paper format in');
  t.equal(maskIban('FR76300'), '**** **** 300', 'too short to be an IBAN: masked as a number');
});

t.test('maskAccount masks each account type and keeps the bank identifiers', async (t) => {
  t.same(maskAccount({ type: 'iban', iban: 'FR7630006000011234567890189', bic: 'BNPAFRPP' }), {
    type: 'iban',
    iban: 'FR76 **** **** 0189',
    country: 'FR',
    bic: 'BNPAFRPP',
    last_digits: '0189',
  });
  t.same(maskAccount({ type: 'iban', iban: 'DE89370400440532013000', bic: undefined }), { type: 'iban', iban: 'DE89 **** **** 3000', country: 'DE', last_digits: '3000' });
  t.same(maskAccount({ type: 'cn', cnaps: '102100099996', accountNumber: '6222020200112233446' }), {
    type: 'cn',
    cnaps: '102100099996',
    account_number: '**** **** 3446',
    last_digits: '3446',
  });
  t.same(maskAccount({ type: 'us', routingNumber: '021000021', accountNumber: '4321' }), {
    type: 'us',
    routing_number: '021000021',
    account_number: '**** **** 21',
    last_digits: '21',
  });
});

t.test('describeAccount gives a short masked text for notifications', async (t) => {
  t.equal(describeAccount({ type: 'iban', iban: 'FR7630006000011234567890189', bic: 'BNPAFRPP' }), 'IBAN FR76 **** **** 0189 (BIC BNPAFRPP)');
  t.equal(describeAccount({ type: 'iban', iban: 'GB29NWBK60161331926819', bic: undefined }), 'IBAN GB29 **** **** 6819');
  t.equal(describeAccount({ type: 'cn', cnaps: '102100099996', accountNumber: '6222020200112233446' }), 'CN account **** **** 3446, CNAPS 102100099996');
  t.equal(describeAccount({ type: 'us', routingNumber: '021000021', accountNumber: '123456789' }), 'US account **** **** 6789, routing 021000021');
});

t.test('maskProfileJson masks the account of a profile and leaves everything else', async (t) => {
  const profile = baseProfile();
  const masked = maskProfileJson(profile);
  t.same(masked.settlement_account, { type: 'iban', iban: 'FR76 **** **** 0189', bic: 'BNPAFRPP' });
  t.same({ ...masked, settlement_account: undefined }, { ...profile, settlement_account: undefined });
  t.equal(profile.settlement_account.iban, 'FR7630006000011234567890189', 'the input is not changed');
});

t.test('maskProfileJson leaks nothing from a malformed account either', async (t) => {
  const masked = maskProfileJson({
    settlement_account: { type: 'paypal', account_number: 6222020200112233, email: 'owner@example.com', nested: { iban: 'FR7630006000011234567890189' }, bic: 12345678 },
  });
  t.same(masked.settlement_account, { type: 'paypal', account_number: '**** **** 2233', email: '**** **** .com', nested: '**** ****', bic: '**** **** 5678' });
  t.same(maskProfileJson({ settlement_account: 'FR7630006000011234567890189' }).settlement_account, '**** **** 0189');
  t.same(maskProfileJson({ merchant_id: 'M-1' }), { merchant_id: 'M-1' });
});
