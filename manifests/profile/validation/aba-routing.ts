/**
 * ABA routing transit numbers (American Bankers Association; Federal Reserve Operating
 * Circular and the X9.100-XXX MICR standard): nine digits, the first four the Federal
 * Reserve routing symbol, the ninth a check digit so that
 * 3(d1 + d4 + d7) + 7(d2 + d5 + d8) + (d3 + d6 + d9) is a multiple of 10.
 *
 * @example
 * abaChecksumValid('021000021'); // true
 * abaCheckDigit('02100002'); // '1'
 */

const WEIGHTS = [3, 7, 1, 3, 7, 1, 3, 7, 1] as const;

function weightedSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += (digits.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return sum;
}

/** True for nine digits whose 3-7-1 weighted sum is a multiple of 10. */
export function abaChecksumValid(routingNumber: string): boolean {
  return /^\d{9}$/.test(routingNumber) && weightedSum(routingNumber) % 10 === 0;
}

/** The check digit completing eight leading digits. */
export function abaCheckDigit(firstEight: string): string {
  if (!/^\d{8}$/.test(firstEight)) throw new RangeError('an ABA check digit needs eight digits');
  return String((10 - (weightedSum(firstEight) % 10)) % 10);
}

/**
 * The first two digits name a Federal Reserve district: 00 (US Government), 01-12 (banks),
 * 21-32 (thrift institutions), 61-72 (electronic transactions), 80 (traveller's cheques).
 */
export function abaPrefixValid(routingNumber: string): boolean {
  const prefix = Number(routingNumber.slice(0, 2));
  return prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
}
