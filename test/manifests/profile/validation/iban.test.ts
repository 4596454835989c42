import t from 'tap';
import { formatIban, ibanCountry, ibanCountryCodes, normaliseIban } from '../../../../manifests/profile/validation/index.js';
import { bbanMatches } from '../../../../manifests/profile/validation/iban-registry.js';
import { checkIban } from '../../../../manifests/profile/validation/iban.js';

t.test('normaliseIban turns a typed or printed IBAN into the electronic format', async (t) => {
  t.equal(normaliseIban('FR76 3000 6000 0112 3456 7890 189'), 'FR7630006000011234567890189');
  t.equal(normaliseIban(' fr76 3000\t6000 0112 3456 7890 189\n'), 'FR7630006000011234567890189');
  t.equal(normaliseIban('IBAN GB82 WEST 1234 5698 7654 32'), 'GB82WEST12345698765432', 'paper-format label');
  t.equal(normaliseIban('iban: GB82 WEST 1234 5698 7654 32'), 'GB82WEST12345698765432');
  t.equal(normaliseIban('DE89\u00a03704\u00a00044 0532 0130 00'), 'DE89370400440532013000', 'no-break spaces');
  t.equal(normaliseIban('FR76-3000'), 'FR76-3000', 'hyphens are not silently removed');
});

t.test('formatIban groups by four as on paper', async (t) => {
  t.equal(formatIban('FR7630006000011234567890189'), 'FR76 3000 6000 0112 3456 7890 189');
  t.equal(formatIban('BE68539007547034'), 'BE68 5390 0754 7034');
});

t.test('the registry has 89 countries whose structures add up to their lengths', async (t) => {
  const codes = ibanCountryCodes();
  t.equal(codes.length, 89);
  for (const code of codes) {
    const entry = ibanCountry(code);
    const sum = [...(entry?.bban ?? '').matchAll(/(\d+)!/g)].reduce((total, m) => total + Number(m[1]), 0);
    t.equal(sum + 4, entry?.length, code);
  }
  t.equal(ibanCountry('NO')?.length, 15, 'shortest');
  t.equal(ibanCountry('RU')?.length, 33, 'longest');
  t.equal(ibanCountry('US'), undefined);
  t.equal(ibanCountry('toString'), undefined, 'no prototype keys');
});

t.test('BBAN structures distinguish digits, letters and either', async (t) => {
  t.ok(bbanMatches('NL', 'ABNA0417164300'));
  t.notOk(bbanMatches('NL', 'A8NA0417164300'), 'digit where a letter is required');
  t.ok(bbanMatches('FR', '20041010050500013M02606'), 'c accepts a letter');
  t.notOk(bbanMatches('FR', '20041010050500013M0260A'), 'letter in the national check digits');
  t.notOk(bbanMatches('ZZ', '1234'), 'no such country');
});

t.test('checkIban reports the first failing rule: format, country, length, structure, checksum', async (t) => {
  const code = (iban: string) => checkIban(iban, 'x')?.code;
  t.equal(code('BE68539007547034'), undefined);
  t.equal(code('BE68 5390 0754 7034'), 'STW_PROFILE_IBAN_FORMAT');
  t.equal(code('B'), 'STW_PROFILE_IBAN_FORMAT');
  t.equal(code('QQ68539007547034'), 'STW_PROFILE_IBAN_COUNTRY');
  t.equal(code('BE6853900754703'), 'STW_PROFILE_IBAN_LENGTH');
  t.equal(code('BE6853900754703X'), 'STW_PROFILE_IBAN_BBAN');
  t.equal(code('BE69539007547034'), 'STW_PROFILE_IBAN_CHECKSUM');
  t.same(checkIban('be68 5390 0754 7034', 'x')?.params, { normalised: 'available' }, 'the form can offer normalisation');
  t.equal(checkIban('BE68$39007547034', 'x')?.params, undefined, 'nothing to normalise');
});
