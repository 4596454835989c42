/**
 * X.509 and PKCS structures: vendor manufacturing-certificate chains for zero-touch
 * enrolment, and private-key encodings (PKCS#1, PKCS#8, PKCS#12).
 *
 * A separate entry point from `manifests/index.ts` because it loads node-forge, which the
 * device SDK must not pull in. A terminal that only signs the enrolment challenge imports
 * `manifests/x509/challenge-signature.js`, which uses node:crypto alone.
 */
export { verifyCertificateChain, MAX_CHAIN_LENGTH } from './verify-certificate-chain.js';
export type { VerifyCertificateChainInput, VerifiedDeviceCertificate } from './verify-certificate-chain.js';
export { signChallenge, verifyChallengeSignature } from './challenge-signature.js';
export type { VerifyChallengeSignatureInput } from './challenge-signature.js';
export { pkcs1ToPkcs8Pem, pkcs8ToPkcs1Pem, decryptPkcs8Pem } from './key-encodings.js';
export { readPkcs12 } from './pkcs12.js';
export type { ReadPkcs12Input, Pkcs12Contents } from './pkcs12.js';
export { publicKeyPemFromCertificate, certificateFingerprintSha256 } from './certificate-info.js';
export type { CertificateRejectionReason, KeyEncodingFailureReason } from './x509-errors.js';
