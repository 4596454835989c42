/** Profile values as a person reads them: fees as percentages, amounts in the profile's currency, the account masked as the server sent it. */
import { showValue } from '../components/json-change.js';

type Wire = Record<string, unknown>;

const isObject = (value: unknown): value is Wire => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Minor units (cents) in the currency's own decimals (ISO 4217 exponent, from Intl). */
export function formatMinor(minor: number, currency: string | undefined): string {
  if (!currency) return String(minor);
  try {
    const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return `${minor} (minor units)`;
  }
}

export function formatFee(fee: unknown, currency: string | undefined): string {
  if (!isObject(fee) || typeof fee['rate_bps'] !== 'number') return showValue(fee);
  const parts = [`${(fee['rate_bps'] / 100).toFixed(2)}%`];
  if (typeof fee['fixed_minor'] === 'number' && fee['fixed_minor'] > 0) parts.push(`+ ${formatMinor(fee['fixed_minor'], currency)}`);
  if (typeof fee['cap_minor'] === 'number') parts.push(`(cap ${formatMinor(fee['cap_minor'], currency)})`);
  return parts.join(' ');
}

/** One line for a top-level profile field. */
export function describeField(key: string, value: unknown, profile: Wire): string {
  const currency = typeof profile['currency'] === 'string' ? profile['currency'] : undefined;
  if (key === 'settlement_account' && isObject(value)) {
    return [value['type'], value['iban'] ?? value['account_number'], value['bic'] ?? value['cnaps'] ?? value['routing_number']].filter((part) => typeof part === 'string').join(' · ');
  }
  if (key === 'fees' && isObject(value)) {
    const schemes = isObject(value['schemes']) ? Object.entries(value['schemes']).map(([name, fee]) => `${name} ${formatFee(fee, currency)}`) : [];
    return [`debit ${formatFee(value['debit'], currency)}`, `credit ${formatFee(value['credit'], currency)}`, ...schemes].join('; ');
  }
  if (key === 'limits' && isObject(value)) {
    const money = (name: string) => (typeof value[name] === 'number' ? formatMinor(value[name], currency) : undefined);
    return [
      money('max_transaction_minor') && `sale up to ${money('max_transaction_minor')}`,
      money('max_refund_minor') && `refund up to ${money('max_refund_minor')}`,
      money('daily_total_minor') && `${money('daily_total_minor')} a day`,
    ]
      .filter(Boolean)
      .join('; ');
  }
  return showValue(value);
}
