// manifests/: the signed document formats shared by the server and the device SDK.
// Pure: no network, no file system. X.509 helpers (node-forge) live in manifests/x509/.
export { ManifestError } from './errors.js';
export type { ManifestErrorCode } from './errors.js';

export { canonicalBytes, canonicalString } from './json/canonical.js';
export { parseJson, defaultJsonLimits } from './json/parse-json.js';
export type { JsonLimits } from './json/parse-json.js';
export { isJsonObject } from './json/json-value.js';
export type { JsonObject, JsonValue, JsonPrimitive } from './json/json-value.js';
export { isTimeZone } from './json/time-zone.js';

export { PublicKey } from './keys/public-key.js';
export type { SupportedKeyType } from './keys/public-key.js';
export { KeyObjectSigner, generateKeyPair } from './keys/signer.js';
export type { Signer, GeneratedKeyPair } from './keys/signer.js';

export { Metadata } from './metadata/metadata.js';
export type { Signed, SignedByType } from './metadata/metadata.js';
export { Signature } from './metadata/signature.js';
export { Root, TOP_LEVEL_ROLES } from './metadata/root.js';
export type { TopLevelRole } from './metadata/root.js';
export { Targets } from './metadata/targets.js';
export { Snapshot } from './metadata/snapshot.js';
export { Timestamp } from './metadata/timestamp.js';
export { RoleKeys } from './metadata/role-keys.js';
export { Delegations } from './metadata/delegations.js';
export { DelegatedRole } from './metadata/delegated-role.js';
export { TargetFile } from './metadata/target-file.js';
export { MetaFile } from './metadata/meta-file.js';
export { HashChecker, hashesMatch, computeHashes, SUPPORTED_HASH_ALGORITHMS } from './metadata/hashes.js';
export type { Hashes } from './metadata/hashes.js';
export type { KeyMap } from './metadata/key-map.js';
export { matchesPathPattern, matchesHashPrefix } from './metadata/path-pattern.js';
export { SPEC_VERSION, SUPPORTED_SPEC_MAJOR, formatExpires, isExpired } from './metadata/signed-fields.js';
export type { RoleType, SignedFields } from './metadata/signed-fields.js';

export { countSignatures, verifyThreshold } from './verify/threshold.js';
export type { Authority, ThresholdResult } from './verify/threshold.js';
export { assertNotExpired, assertNoRollback, assertPinnedVersion, verifyRootSuccessor } from './verify/rules.js';
export { loadTrustedRoot } from './verify/trusted-root.js';

export { DirectorTargets, MIN_POLL_INTERVAL_SECONDS, MAX_POLL_INTERVAL_SECONDS } from './director/director-targets.js';
export type { DirectorInstructions, DirectorImage, DirectorProfile, DirectorTarget, InstallWindow } from './director/director-targets.js';
export { ProfileDocument, PROFILE_TYPE, PROFILE_SCHEMA_VERSION } from './profile/profile-document.js';
export type { ProfileFields, FeeRate, Fees, SettlementAccount, TransactionLimits } from './profile/profile-fields.js';
export { ReleaseInfo, isSemver } from './release/release-info.js';
export {
  validateProfile,
  validateProfileJson,
  validateContractBounds,
  PROFILE_ISSUE_CODES,
  MAX_RATE_BPS,
  KNOWN_SCHEMES,
  RECEIPT_LIMITS,
  REFUND_LIMIT_FACTOR,
  ACTIVE_CURRENCIES,
  RESERVED_MCC_BLOCKS,
  normaliseIban,
  formatIban,
  ibanCountry,
  ibanCountryCodes,
  ibanChecksumValid,
  ibanCheckDigits,
  luhnValid,
  luhnCheckDigit,
  abaChecksumValid,
  abaCheckDigit,
  maskAccount,
  maskAccountNumber,
  maskIban,
  describeAccount,
  maskProfileJson,
} from './profile/validation/index.js';
export type { ProfileIssue, ProfileIssueCode, ProfileValidationContext, ContractBounds, BpsRange, IbanCountry, MaskedAccount } from './profile/validation/index.js';
