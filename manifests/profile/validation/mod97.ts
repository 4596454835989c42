/**
 * ISO/IEC 7064 MOD 97-10, as ISO 13616-1 applies it to IBANs: move the country code and
 * check digits to the end, replace each letter by two digits (A = 10 ... Z = 35), and the
 * number must leave remainder 1 modulo 97. Check digits are 98 minus the remainder of the
 * string with `00` in their place, so they always lie in 02..98.
 *
 * @example
 * ibanChecksumValid('GB82WEST12345698765432'); // true
 * ibanCheckDigits('GB', 'WEST12345698765432');  // '82'
 */

/** Remainder modulo 97 of an upper-case alphanumeric string read as ISO 7064 digits. */
export function mod97(value: string): number {
  let remainder = 0;
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else if (code >= 65 && code <= 90) {
      // A letter stands for two digits, 10..35.
      remainder = (remainder * 100 + (code - 55)) % 97;
    } else {
      throw new RangeError('mod97 accepts only 0-9 and A-Z');
    }
  }
  return remainder;
}

/** True when an electronic-format IBAN's check digits verify (ISO 13616-1, ISO 7064 MOD 97-10). */
export function ibanChecksumValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const check = Number(iban.slice(2, 4));
  if (check < 2 || check > 98) return false;
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

/** The two check digits for a country code and BBAN. */
export function ibanCheckDigits(country: string, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`);
  return String(check).padStart(2, '0');
}
