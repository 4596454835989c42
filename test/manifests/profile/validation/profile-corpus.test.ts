import t from 'tap';
import { ProfileDocument } from '../../../../manifests/index.js';
import { PROFILE_ISSUE_CODES, validateProfile, validateProfileJson } from '../../../../manifests/profile/validation/index.js';
import type { ProfileIssue } from '../../../../manifests/profile/validation/index.js';
import { INVALID_PROFILES } from '../../../fixtures/profiles/invalid-profiles.js';
import { VALID_PROFILES } from '../../../fixtures/profiles/valid-profiles.js';
import { fieldsFromWire, type Wire } from '../../../fixtures/profiles/wire-profile.js';

const pairs = (issues: readonly ProfileIssue[]): string[] => issues.map((i) => `${i.field} ${i.code}`).sort();

t.test('the misconfigured corpus has at least 60 profiles', async (t) => {
  t.ok(INVALID_PROFILES.length >= 60, `${INVALID_PROFILES.length} misconfigured profiles`);
  t.equal(new Set(INVALID_PROFILES.map((c) => c.name)).size, INVALID_PROFILES.length, 'names are unique');
});

t.test('each misconfigured profile is rejected with exactly the expected fields and codes', async (t) => {
  for (const entry of INVALID_PROFILES) {
    const issues = validateProfileJson(entry.json, { bounds: entry.bounds });
    t.same(pairs(issues), entry.expected.map(([field, code]) => `${field} ${code}`).sort(), entry.name);
    for (const [field, code, params] of entry.expected) {
      if (params === undefined) continue;
      const found = issues.find((i) => i.field === field && i.code === code);
      t.match(found?.params, params, `${entry.name}: params of ${code}`);
    }
    t.ok(issues.every((i) => i.message.length > 0), `${entry.name}: every issue has a message`);
  }
});

t.test('the typed validator finds the same issues as the wire validator when the structure is sound', async (t) => {
  const typed = INVALID_PROFILES.filter((entry) => !entry.structural);
  t.ok(typed.length >= 50, `${typed.length} entries checked through validateProfile`);
  for (const entry of typed) {
    const issues = validateProfile(fieldsFromWire(entry.json as Wire), { bounds: entry.bounds });
    t.same(pairs(issues), entry.expected.map(([field, code]) => `${field} ${code}`).sort(), entry.name);
  }
});

t.test('the corpus exercises every rule', async (t) => {
  const seen = new Set(INVALID_PROFILES.flatMap((entry) => entry.expected.map(([, code]) => code)));
  // STW_PROFILE_INVALID is the model's last word after all rules pass; bounds have their own test.
  const untested = PROFILE_ISSUE_CODES.filter((code) => !seen.has(code) && code !== 'STW_PROFILE_INVALID' && code !== 'STW_PROFILE_BOUNDS_INVALID');
  t.same(untested, []);
});

t.test('no issue carries the account number it complains about', async (t) => {
  for (const entry of INVALID_PROFILES) {
    const account = (entry.json as Wire)?.settlement_account;
    const secrets = [account?.iban, account?.account_number].filter((v): v is string => typeof v === 'string' && v.length >= 8);
    const text = JSON.stringify(validateProfileJson(entry.json, { bounds: entry.bounds }));
    for (const secret of secrets) t.notOk(text.includes(secret.replace(/\s+/g, '').slice(4)), `${entry.name}: no account number in issues`);
  }
});

t.test('valid profiles from many countries are all accepted', async (t) => {
  const countries = new Set(VALID_PROFILES.map((c) => c.country));
  for (const country of ['FR', 'DE', 'GB', 'NL', 'ES', 'IT', 'BE', 'CH', 'PL', 'SE', 'CN', 'US']) t.ok(countries.has(country), `corpus has ${country}`);
  for (const entry of VALID_PROFILES) {
    t.same(validateProfileJson(entry.json, { bounds: entry.bounds }), [], entry.name);
    const document = ProfileDocument.fromJSON(entry.json);
    t.same(validateProfile(document.fields, { bounds: entry.bounds }), [], `${entry.name} (typed)`);
    t.same(validateProfileJson(JSON.parse(document.toBytes().toString()), { bounds: entry.bounds }), [], `${entry.name} (round trip)`);
  }
});
