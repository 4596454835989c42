import { createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import { buildCertificationPath } from './chain-path.js';
import { checkExtensions, checkIssuer, checkLeaf, checkValidity } from './certificate-constraints.js';
import { readCommonName, readDeviceSubject } from './device-subject.js';
import { parseCertificatePem } from './parse-certificate.js';
import { certificateInvalid } from './x509-errors.js';

/** Longest chain accepted (leaf plus intermediates, optionally the root). */
export const MAX_CHAIN_LENGTH = 5;

export interface VerifyCertificateChainInput {
  /** Leaf first, then each issuer in turn; the trusted root may be included last or left out. */
  readonly chainPem: readonly string[];
  /** The vendor CA certificates registered with the server (trust anchors). */
  readonly trustedCaPem: readonly string[];
  /** The reference time for every validity window. */
  readonly now: Date;
}

/** What a verified manufacturing certificate says about the terminal. */
export interface VerifiedDeviceCertificate {
  /** Subject serialNumber attribute (OID 2.5.4.5): the terminal serial. */
  readonly serialNumber: string;
  /** Subject OU attribute (OID 2.5.4.11): the hardware model. */
  readonly hardwareModel: string;
  readonly commonName?: string;
  /** CN of the leaf's issuer; absent when that name has no CN. */
  readonly issuerCommonName?: string;
  /** The certificate serial number, lower-case hex. */
  readonly certificateSerial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The leaf key as SPKI PEM (`BEGIN PUBLIC KEY`), for node:crypto `createPublicKey`. */
  readonly publicKeyPem: string;
  /** Lower-case hex SHA-256 of the leaf certificate DER. */
  readonly fingerprintSha256: string;
  /** Lower-case hex SHA-256 of the trusted CA certificate the chain ended at: which vendor CA vouched. */
  readonly trustAnchorFingerprintSha256: string;
}

/**
 * Verifies a terminal's vendor-issued manufacturing certificate chain (RFC 5280 6.1,
 * without policies or name constraints) and returns the terminal identity it carries.
 *
 * Every signature up to a trusted CA; every validity window (trust anchor included) against
 * `now`; cA=true and pathLenConstraint on every issuer; the leaf not a CA; keyUsage
 * digitalSignature on the leaf when keyUsage is present. RSA keys of 2048 bits or more only.
 *
 * Throws `ManifestError` `STW_MANIFEST_CERT_INVALID` with `details.reason` (a
 * `CertificateRejectionReason`) and, where it applies, `details.depth` (0 = leaf).
 *
 * @example
 * const device = verifyCertificateChain({ chainPem: [leafPem, intermediatePem], trustedCaPem: [vendorRootPem], now: new Date() });
 * device.serialNumber; // 'SN-000123'
 * verifyChallengeSignature({ publicKeyPem: device.publicKeyPem, challenge, signature });
 */
export function verifyCertificateChain(input: VerifyCertificateChainInput): VerifiedDeviceCertificate {
  const { chainPem, trustedCaPem, now } = input;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RangeError('now must be a valid Date');
  if (!Array.isArray(chainPem) || chainPem.length === 0 || chainPem.length > MAX_CHAIN_LENGTH) {
    throw certificateInvalid('chain-length', `a chain has 1 to ${MAX_CHAIN_LENGTH} certificates`);
  }
  if (!Array.isArray(trustedCaPem) || trustedCaPem.length === 0) {
    throw certificateInvalid('untrusted-root', 'no trusted CA is configured');
  }
  const chain = chainPem.map((pem, depth) => parseCertificatePem(pem, { depth }));
  const anchors = trustedCaPem.map((pem, trustedCa) => parseCertificatePem(pem, { trustedCa }));

  const path = buildCertificationPath(chain, anchors);
  path.forEach((c, depth) => {
    checkValidity(c, depth, now);
    checkExtensions(c, depth);
    if (depth > 0) checkIssuer(c, depth);
  });
  const leaf = path[0]!;
  checkLeaf(leaf);

  const subject = readDeviceSubject(leaf.cert.subject);
  const issuerCommonName = readCommonName(leaf.cert.issuer, 'issuerCommonName');
  const spki = Buffer.from(forge.asn1.toDer(forge.pki.publicKeyToAsn1(leaf.cert.publicKey)).getBytes(), 'binary');
  return {
    serialNumber: subject.serialNumber,
    hardwareModel: subject.hardwareModel,
    ...(subject.commonName === undefined ? {} : { commonName: subject.commonName }),
    ...(issuerCommonName === undefined ? {} : { issuerCommonName }),
    certificateSerial: leaf.cert.serialNumber.toLowerCase(),
    notBefore: new Date(leaf.cert.validity.notBefore.getTime()),
    notAfter: new Date(leaf.cert.validity.notAfter.getTime()),
    publicKeyPem: createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString(),
    fingerprintSha256: leaf.fingerprintSha256,
    trustAnchorFingerprintSha256: path[path.length - 1]!.fingerprintSha256,
  };
}
