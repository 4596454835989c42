import type forge from 'node-forge';

/**
 * Signature algorithms accepted on certificates. RSA PKCS#1 v1.5 with SHA-2 (RFC 4055 5),
 * and RSASSA-PSS with SHA-256 / MGF1-SHA-256 only: forge digests the TBSCertificate of a
 * PSS-signed certificate with SHA-256 whatever the parameters say, so any other PSS hash
 * would be checked inconsistently. MD5 and SHA-1 are refused (collision attacks).
 */
const PKCS1_V15_SHA2 = new Set([
  '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12', // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13', // sha512WithRSAEncryption
]);
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const SHA256 = '2.16.840.1.101.3.4.2.1';
const MGF1 = '1.2.840.113549.1.1.8';

interface PssParameters {
  hash?: { algorithmOid?: string };
  mgf?: { algorithmOid?: string; hash?: { algorithmOid?: string } };
  saltLength?: number;
}

/**
 * Returns why the certificate's signature algorithm is refused, or undefined when it is
 * accepted. (That the outer signatureAlgorithm equals tbsCertificate.signature, RFC 5280
 * 4.1.1.2, is checked byte for byte when the certificate is parsed.)
 */
export function signatureAlgorithmProblem(cert: forge.pki.Certificate): string | undefined {
  const algorithm = cert.signatureOid;
  if (PKCS1_V15_SHA2.has(algorithm)) return undefined;
  if (algorithm !== RSASSA_PSS) return `signature algorithm ${algorithm} is not accepted`;

  const params = cert.signatureParameters as PssParameters;
  const sha256Only =
    params.hash?.algorithmOid === SHA256 &&
    params.mgf?.algorithmOid === MGF1 &&
    params.mgf.hash?.algorithmOid === SHA256;
  return sha256Only ? undefined : 'RSASSA-PSS is accepted with SHA-256 and MGF1-SHA-256 only';
}
