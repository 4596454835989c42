/**
 * BIC rules (ISO 9362:2022): 4 alphanumeric characters of business party prefix, the 2-letter
 * ISO 3166-1 country code, 2 alphanumeric characters of location, and an optional 3-character
 * branch code (8 or 11 characters in all). A location code whose second character is `0`
 * marks a test-and-training BIC, which is not connected to the live network.
 *
 * @example
 * checkBic('BNPAFRPP', 'settlement_account.bic', 'FR'); // []
 * checkBic('DEUTDEFF', 'settlement_account.bic', 'FR'); // [STW_PROFILE_BIC_COUNTRY]
 */
import { IBAN_TERRITORIES } from './iban-registry.js';
import { profileIssue, type ProfileIssue } from './profile-issue.js';

const BIC = /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;

/** Problems with a BIC; `ibanCountry` (when the IBAN's country is known) must match its country. */
export function checkBic(bic: string, field: string, ibanCountry: string | undefined): ProfileIssue[] {
  if (!BIC.test(bic)) {
    return [profileIssue(field, 'STW_PROFILE_BIC', 'a BIC has 8 or 11 upper-case letters and digits: bank, country, location and optional branch')];
  }
  if (bic[7] === '0') {
    return [profileIssue(field, 'STW_PROFILE_BIC_TEST', 'this is a test-and-training BIC (second character of the location code is 0)')];
  }
  const bicCountry = bic.slice(4, 6);
  if (ibanCountry !== undefined && !sameCountry(ibanCountry, bicCountry)) {
    return [
      profileIssue(field, 'STW_PROFILE_BIC_COUNTRY', `the BIC is of ${bicCountry} but the IBAN of ${ibanCountry}`, {
        iban_country: ibanCountry,
        bic_country: bicCountry,
      }),
    ];
  }
  return [];
}

function sameCountry(ibanCountry: string, bicCountry: string): boolean {
  return ibanCountry === bicCountry || (IBAN_TERRITORIES[ibanCountry]?.includes(bicCountry) ?? false);
}
