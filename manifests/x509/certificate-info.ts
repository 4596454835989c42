/**
 * Facts about a single certificate that need no chain: its key and its fingerprint.
 * node:crypto (OpenSSL) reads the certificate, so any key type works here.
 * These do not verify anything; use `verifyCertificateChain` for trust decisions.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readSinglePemBlock } from './pem-block.js';
import { keyEncodingFailed } from './x509-errors.js';

/**
 * The certificate's public key as SPKI PEM (`BEGIN PUBLIC KEY`).
 * Throws `STW_MANIFEST_KEY_ENCODING` when the PEM is not one readable certificate.
 *
 * @example
 * const publicKeyPem = publicKeyPemFromCertificate(vendorCaPem);
 */
export function publicKeyPemFromCertificate(certificatePem: string): string {
  const der = certificateDer(certificatePem);
  try {
    return new X509Certificate(der).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  } catch (cause) {
    throw keyEncodingFailed('unreadable', 'the certificate could not be read', cause);
  }
}

/**
 * Lower-case hex SHA-256 of the certificate's DER, the form used to pin a vendor CA and
 * the same value as `VerifiedDeviceCertificate.fingerprintSha256` for a leaf.
 * Throws `STW_MANIFEST_KEY_ENCODING` when the PEM is not one readable certificate.
 *
 * @example
 * certificateFingerprintSha256(vendorCaPem); // '3f0c...e1' (64 hex digits)
 */
export function certificateFingerprintSha256(certificatePem: string): string {
  const der = certificateDer(certificatePem);
  try {
    new X509Certificate(der); // refuse bytes that are not a certificate
  } catch (cause) {
    throw keyEncodingFailed('unreadable', 'the certificate could not be read', cause);
  }
  return createHash('sha256').update(der).digest('hex');
}

function certificateDer(certificatePem: string): Buffer {
  const read = readSinglePemBlock(certificatePem, ['CERTIFICATE']);
  if (!read.ok) throw keyEncodingFailed('pem', read.problem);
  return read.block.der;
}
