import t from 'tap';
import {
  abaCheckDigit,
  abaChecksumValid,
  ibanCheckDigits,
  ibanChecksumValid,
  luhnCheckDigit,
  luhnValid,
} from '../../../../manifests/profile/validation/index.js';
import { abaPrefixValid } from '../../../../manifests/profile/validation/aba-routing.js';
import { mod97 } from '../../../../manifests/profile/validation/mod97.js';

// Examples published in the SWIFT IBAN registry and ISO 13616-1 Annex.
const REGISTRY_EXAMPLES = [
  'GB82WEST12345698765432', 'GB29NWBK60161331926819', 'DE89370400440532013000', 'FR1420041010050500013M02606',
  'NL91ABNA0417164300', 'BE68539007547034', 'CH9300762011623852957', 'ES9121000418450200051332',
  'IT60X0542811101000000123456', 'PL61109010140000071219812874', 'SE4550000000058398257466',
  'NO9386011117947', 'MT84MALT011000012345MTLCAST001S', 'BR1800360305000010009795493C1', 'SA0380000000608010167519',
];

t.test('MOD 97-10 accepts the registry examples and recomputes their check digits', async (t) => {
  for (const iban of REGISTRY_EXAMPLES) {
    t.ok(ibanChecksumValid(iban), iban);
    t.equal(ibanCheckDigits(iban.slice(0, 2), iban.slice(4)), iban.slice(2, 4), `${iban} check digits`);
  }
});

t.test('MOD 97-10 catches a changed character, swapped neighbours and impossible check digits', async (t) => {
  t.notOk(ibanChecksumValid('GB82WEST12345698765433'), 'last digit changed');
  t.notOk(ibanChecksumValid('GB82WEST12345698765423'), 'two digits swapped');
  t.notOk(ibanChecksumValid('GB82WEST12345698756432'), 'two other digits swapped');
  t.notOk(ibanChecksumValid('GB82WEXT12345698765432'), 'a letter changed');
  t.notOk(ibanChecksumValid('GB00WEST12345698765432'), 'check digits 00');
  t.notOk(ibanChecksumValid('GB99WEST12345698765432'), 'check digits 99');
  t.notOk(ibanChecksumValid('gb82west12345698765432'), 'lower case is not the electronic format');
});

t.test('mod97 reads letters as two digits (A = 10, Z = 35) and refuses other characters', async (t) => {
  t.equal(mod97('97'), 0);
  t.equal(mod97('98'), 1);
  t.equal(mod97('A'), 10);
  t.equal(mod97('Z'), 35);
  t.equal(mod97('3214282912345698765432161182'), 1, 'the ISO 13616 worked example, rearranged and converted');
  t.throws(() => mod97('12 34'), RangeError);
});

t.test('Luhn accepts the ISO/IEC 7812 example and well-known test card numbers', async (t) => {
  for (const number of ['79927398713', '4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000', '6200000000000005']) {
    t.ok(luhnValid(number), number);
  }
  t.equal(luhnCheckDigit('7992739871'), '3');
  t.equal(luhnCheckDigit('411111111111111'), '1');
  t.equal(luhnCheckDigit('000000000000000'), '0');
});

t.test('Luhn rejects a changed digit, swapped neighbours, non-digits and too-short input', async (t) => {
  for (const number of ['79927398710', '79927398731', '4111111111111112', '4111111111111121']) t.notOk(luhnValid(number), number);
  t.notOk(luhnValid('7992739871a'), 'a letter');
  t.notOk(luhnValid('0'), 'one digit');
  t.notOk(luhnValid(''), 'empty');
});

t.test('ABA 3-7-1 accepts published routing numbers and recomputes their check digit', async (t) => {
  for (const routing of ['021000021', '011000015', '121000358', '026009593', '322271627', '111000025', '071000013']) {
    t.ok(abaChecksumValid(routing), routing);
    t.equal(abaCheckDigit(routing.slice(0, 8)), routing.slice(8), `${routing} check digit`);
    t.ok(abaPrefixValid(routing), `${routing} prefix`);
  }
  t.throws(() => abaCheckDigit('1234567'), RangeError);
});

t.test('ABA rejects a changed digit, swapped neighbours, wrong length and unknown districts', async (t) => {
  for (const routing of ['021000022', '201000021', '02100002', '0210000211', '02100002A']) t.notOk(abaChecksumValid(routing), routing);
  for (const prefix of ['13', '20', '33', '60', '73', '79', '81', '99']) t.notOk(abaPrefixValid(`${prefix}0000000`), `prefix ${prefix}`);
  for (const prefix of ['00', '01', '12', '21', '32', '61', '72', '80']) t.ok(abaPrefixValid(`${prefix}0000000`), `prefix ${prefix}`);
});
