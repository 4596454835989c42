/**
 * The Luhn (mod 10, "double-add-double") check digit of ISO/IEC 7812-1 Annex B, used by
 * payment-card numbers: from the right, double every second digit, subtract 9 from results
 * above 9, and the sum must be a multiple of 10.
 *
 * @example
 * luhnValid('79927398713'); // true
 * luhnCheckDigit('7992739871'); // '3'
 */

function luhnSum(digits: string, doubleFirst: boolean): number {
  let sum = 0;
  let double = doubleFirst;
  for (let i = digits.length - 1; i >= 0; i--) {
    let digit = digits.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) throw new RangeError('Luhn accepts only digits');
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum;
}

/** True when the last digit of `digits` is its Luhn check digit. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return luhnSum(digits, false) % 10 === 0;
}

/** The Luhn check digit to append to `payload`. */
export function luhnCheckDigit(payload: string): string {
  return String((10 - (luhnSum(payload, true) % 10)) % 10);
}
