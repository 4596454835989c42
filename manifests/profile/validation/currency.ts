/**
 * Currency rules (ISO 4217). A profile's currency is an active ISO 4217 List One code in which
 * card payments settle. The table, not `Intl.supportedValuesOf('currency')`, decides: the ICU
 * list varies with the runtime and keeps withdrawn codes (HRK, CUC, ZWL, ANG, ...). Left out on
 * purpose: funds and accounting codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW), precious
 * metals and bond units (XAU, XAG, XPD, XPT, XBA-XBD), XDR, XSU, XUA, and the codes XTS and XXX.
 * Withdrawn: BGN (Bulgaria adopted the euro on 2026-01-01), HRK (2023), SLL (replaced by SLE),
 * ZWL (replaced by ZWG in 2024), ANG (replaced by XCG in 2025).
 *
 * @example
 * checkCurrency('EUR'); // []
 * checkCurrency('eur'); // [STW_PROFILE_CURRENCY_FORMAT]
 */
import { profileIssue, type ProfileIssue } from './profile-issue.js';

const FIELD = 'currency';

export const ACTIVE_CURRENCIES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS ' +
    'GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW ' +
    'KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR ' +
    'MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR ' +
    'SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX ' +
    'USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

export function checkCurrency(currency: string): ProfileIssue[] {
  if (!/^[A-Z]{3}$/.test(currency)) {
    return [profileIssue(FIELD, 'STW_PROFILE_CURRENCY_FORMAT', 'a currency is an ISO 4217 code of three upper-case letters, e.g. EUR')];
  }
  if (!ACTIVE_CURRENCIES.has(currency)) {
    return [profileIssue(FIELD, 'STW_PROFILE_CURRENCY', `${currency} is not an active ISO 4217 currency`, { currency })];
  }
  return [];
}
