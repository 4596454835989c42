// Validation of merchant parameter profiles, and masking of their settlement accounts.
export { validateProfile } from './validate-profile.js';
export type { ProfileValidationContext } from './validate-profile.js';
export { validateProfileJson } from './validate-profile-json.js';
export { PROFILE_ISSUE_CODES } from './profile-issue.js';
export type { ProfileIssue, ProfileIssueCode } from './profile-issue.js';
export { validateContractBounds, MAX_RATE_BPS } from './contract-bounds.js';
export type { BpsRange, ContractBounds } from './contract-bounds.js';
export { KNOWN_SCHEMES } from './fees.js';
export { RECEIPT_LIMITS } from './text-fields.js';
export { REFUND_LIMIT_FACTOR } from './limits.js';
export { ACTIVE_CURRENCIES } from './currency.js';
export { RESERVED_MCC_BLOCKS } from './mcc.js';

export { normaliseIban, formatIban } from './iban.js';
export { ibanCountry, ibanCountryCodes } from './iban-registry.js';
export type { IbanCountry } from './iban-registry.js';
export { ibanChecksumValid, ibanCheckDigits } from './mod97.js';
export { luhnValid, luhnCheckDigit } from './luhn.js';
export { abaChecksumValid, abaCheckDigit } from './aba-routing.js';

export { maskAccount, maskAccountNumber, maskIban, describeAccount } from './mask-account.js';
export type { MaskedAccount } from './mask-account.js';
export { maskProfileJson } from './mask-profile-json.js';
