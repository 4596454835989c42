/**
 * A field-level finding about a merchant parameter profile. `field` is the wire path
 * (snake_case, dots between object keys, `[i]` for array items, `''` for the whole document),
 * `code` a stable identifier that forms and the server branch on; `message` is English text for
 * people and may change. Neither `message` nor `params` ever carries an account number.
 *
 * @example
 * validateProfile(fields, {}).map((i) => `${i.field}: ${i.code}`);
 * // [ 'settlement_account.iban: STW_PROFILE_IBAN_CHECKSUM' ]
 */
export const PROFILE_ISSUE_CODES = [
  // Structure of the wire document (validateProfileJson only).
  'STW_PROFILE_REQUIRED', // a required field is absent
  'STW_PROFILE_JSON_TYPE', // a field has the wrong JSON type; params.expected
  'STW_PROFILE_UNKNOWN_FIELD', // a nested field the document model would silently drop (a typo)
  'STW_PROFILE_DOCUMENT_TYPE', // `_type` is not `steward-profile`
  'STW_PROFILE_SCHEMA_VERSION', // `schema_version` is not one this library reads
  'STW_PROFILE_INVALID', // any other structural defect the document model refuses
  // Identity.
  'STW_PROFILE_VERSION', // version is not an integer >= 1
  'STW_PROFILE_IDENTIFIER', // merchant or terminal id outside [A-Za-z0-9._-]{1,64}
  // Text printed on receipts and shown on the terminal.
  'STW_PROFILE_TEXT_EMPTY',
  'STW_PROFILE_TEXT_CHARACTERS', // a control, format, private-use or pictographic character
  'STW_PROFILE_TEXT_WHITESPACE', // leading or trailing whitespace in the merchant name
  'STW_PROFILE_TEXT_TOO_LONG', // wider than the printer line; params.max, params.width
  'STW_PROFILE_RECEIPT_LINES', // more header lines than the receipt allows; params.max
  // Classification, currency, time.
  'STW_PROFILE_MCC', // not four digits
  'STW_PROFILE_MCC_RESERVED', // in an ISO 18245 block that is reserved or unassigned
  'STW_PROFILE_CURRENCY_FORMAT', // not three upper-case letters
  'STW_PROFILE_CURRENCY', // not an active ISO 4217 transaction currency
  'STW_PROFILE_TIME_ZONE', // not an IANA time-zone name
  // Fees.
  'STW_PROFILE_FEE_RATE', // rate_bps not an integer in 0..10000
  'STW_PROFILE_FEE_FIXED', // fixed_minor not an integer >= 0
  'STW_PROFILE_FEE_CAP', // cap_minor not an integer > 0
  'STW_PROFILE_FEE_CAP_BELOW_FIXED', // cap_minor < fixed_minor; params.fixed
  'STW_PROFILE_FEE_OUT_OF_BOUNDS', // outside the merchant's contract; params.min, params.max
  'STW_PROFILE_SCHEME_NAME', // a scheme key that is not a lower-case identifier
  'STW_PROFILE_SCHEME_UNKNOWN', // a scheme neither known nor named in the contract bounds
  // Settlement account.
  'STW_PROFILE_ACCOUNT_TYPE', // settlement_account.type is not iban, cn or us
  'STW_PROFILE_IBAN_FORMAT', // not the electronic format (A-Z, 0-9, no spaces)
  'STW_PROFILE_IBAN_COUNTRY', // country code not in the IBAN registry; params.country
  'STW_PROFILE_IBAN_LENGTH', // params.country, params.expected, params.actual
  'STW_PROFILE_IBAN_BBAN', // BBAN characters do not fit the country's structure
  'STW_PROFILE_IBAN_CHECKSUM', // ISO 7064 MOD 97-10 check digits do not verify
  'STW_PROFILE_BIC', // not an ISO 9362 BIC
  'STW_PROFILE_BIC_TEST', // a test-and-training BIC (location code ?0)
  'STW_PROFILE_BIC_COUNTRY', // the BIC's country is not the IBAN's; params.iban_country, params.bic_country
  'STW_PROFILE_CNAPS_FORMAT', // CNAPS bank code is not exactly 12 digits
  'STW_PROFILE_CN_ACCOUNT_FORMAT', // CN account number has characters other than digits
  'STW_PROFILE_CN_ACCOUNT_LENGTH', // CN bank-card number not 16..19 digits
  'STW_PROFILE_LUHN', // bank-card number fails the ISO/IEC 7812-1 Luhn check
  'STW_PROFILE_ABA_FORMAT', // routing number is not exactly 9 digits
  'STW_PROFILE_ABA_PREFIX', // routing number's first two digits are not a Federal Reserve routing symbol
  'STW_PROFILE_ABA_CHECKSUM', // routing number fails the 3-7-1 checksum
  'STW_PROFILE_US_ACCOUNT_FORMAT', // US account number not 4..17 digits
  // Transaction limits.
  'STW_PROFILE_LIMIT', // a limit is not a positive integer (refund: >= 0); params.min
  'STW_PROFILE_LIMIT_REFUND', // refund limit above the single-transaction limit; params.max
  'STW_PROFILE_LIMIT_DAILY', // daily total below the single-transaction limit; params.min
  // Contract bounds themselves (validateContractBounds).
  'STW_PROFILE_BOUNDS_INVALID',
] as const;

export type ProfileIssueCode = (typeof PROFILE_ISSUE_CODES)[number];

export interface ProfileIssue {
  readonly field: string;
  readonly code: ProfileIssueCode;
  readonly message: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

export function profileIssue(field: string, code: ProfileIssueCode, message: string, params?: Record<string, string | number>): ProfileIssue {
  return params === undefined ? { field, code, message } : { field, code, message, params };
}
