/**
 * IBAN rules (ISO 13616-1:2020). A profile stores the electronic format only: upper-case
 * letters and digits, no spaces. Forms accept the paper format and call `normaliseIban` first.
 *
 * @example
 * normaliseIban(' fr76 3000 6000 0112 3456 7890 189 '); // 'FR7630006000011234567890189'
 * formatIban('FR7630006000011234567890189');           // 'FR76 3000 6000 0112 3456 7890 189'
 * checkIban('FR7630006000011234567890189', 'settlement_account.iban'); // undefined (valid)
 */
import { bbanMatches, ibanCountry } from './iban-registry.js';
import { ibanChecksumValid } from './mod97.js';
import { profileIssue, type ProfileIssue } from './profile-issue.js';

const ELECTRONIC = /^[A-Z]{2}\d{2}[A-Z0-9]+$/;

/** The electronic format of a typed or pasted IBAN: drops an `IBAN` label and all whitespace, upper-cases. */
export function normaliseIban(input: string): string {
  // ISO 13616-1 5.2: the paper format is prefixed "IBAN" and grouped by four with spaces.
  return input.replace(/^\s*IBAN\s*:?/i, '').replace(/\s+/g, '').toUpperCase();
}

/** The paper format (ISO 13616-1 5.2): groups of four characters separated by one space. */
export function formatIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The first problem with an electronic-format IBAN, or `undefined` when it is valid. */
export function checkIban(iban: string, field: string): ProfileIssue | undefined {
  if (!ELECTRONIC.test(iban)) {
    const hint = ELECTRONIC.test(normaliseIban(iban)) ? { normalised: 'available' } : undefined;
    return profileIssue(field, 'STW_PROFILE_IBAN_FORMAT', 'IBAN must be in electronic format: a country code, two check digits, then letters A-Z and digits, no spaces', hint);
  }
  const country = iban.slice(0, 2);
  const entry = ibanCountry(country);
  if (entry === undefined) {
    return profileIssue(field, 'STW_PROFILE_IBAN_COUNTRY', `${country} is not a country of the IBAN registry`, { country });
  }
  if (iban.length !== entry.length) {
    return profileIssue(field, 'STW_PROFILE_IBAN_LENGTH', `an IBAN of ${country} has ${entry.length} characters, not ${iban.length}`, {
      country,
      expected: entry.length,
      actual: iban.length,
    });
  }
  if (!bbanMatches(country, iban.slice(4))) {
    return profileIssue(field, 'STW_PROFILE_IBAN_BBAN', `the account part does not have the structure ${entry.bban} of ${country}`, { country, structure: entry.bban });
  }
  if (!ibanChecksumValid(iban)) {
    return profileIssue(field, 'STW_PROFILE_IBAN_CHECKSUM', 'the IBAN check digits do not verify (ISO 7064 MOD 97-10): a character is probably mistyped', { country });
  }
  return undefined;
}
