import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { readSinglePemBlock } from './pem-block.js';
import { certificateInvalid } from './x509-errors.js';

/** RFC 8017 A.1: rsaEncryption, the only SubjectPublicKeyInfo algorithm forge's X.509 reads. */
const RSA_ENCRYPTION_OID = '1.2.840.113549.1.1.1';
/** NIST SP 800-131A: RSA keys shorter than 2048 bits are no longer acceptable for signatures. */
export const MIN_RSA_BITS = 2048;

/** A certificate read by forge, kept with its exact DER bytes. */
export interface ParsedCertificate {
  readonly der: Buffer;
  readonly cert: forge.pki.Certificate;
  /** Lower-case hex SHA-256 of the DER. */
  readonly fingerprintSha256: string;
}

/**
 * Reads one PEM `CERTIFICATE` with an RSA key of at least 2048 bits.
 * `where` (e.g. `{ depth: 0 }` or `{ trustedCa: 1 }`) is copied into the error details.
 * Throws `STW_MANIFEST_CERT_INVALID` with reason 'malformed' or 'unsupported-key'.
 */
export function parseCertificatePem(pem: unknown, where: Record<string, unknown>): ParsedCertificate {
  const read = readSinglePemBlock(pem, ['CERTIFICATE']);
  if (!read.ok) throw certificateInvalid('malformed', `certificate PEM: ${read.problem}`, where);
  const der = read.block.der;

  let asn1: forge.asn1.Asn1;
  try {
    // Strict DER, and every byte must belong to the certificate.
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  } catch (cause) {
    throw certificateInvalid('malformed', 'certificate is not valid DER', where, cause);
  }
  const keyOid = publicKeyAlgorithmOid(asn1);
  if (keyOid !== undefined && keyOid !== RSA_ENCRYPTION_OID) {
    throw certificateInvalid('unsupported-key', 'certificate key is not RSA', { ...where, keyAlgorithmOid: keyOid });
  }

  let cert: forge.pki.Certificate;
  try {
    // computeHash=false: the digest is computed at verification, after the algorithm is vetted.
    cert = forge.pki.certificateFromAsn1(asn1, false);
  } catch (cause) {
    throw certificateInvalid('malformed', 'certificate structure could not be read', where, cause);
  }
  const bits = (cert.publicKey as forge.pki.rsa.PublicKey).n.bitLength();
  if (bits < MIN_RSA_BITS) {
    throw certificateInvalid('unsupported-key', `RSA key of ${bits} bits is below ${MIN_RSA_BITS}`, { ...where, bits });
  }
  return { der, cert, fingerprintSha256: createHash('sha256').update(der).digest('hex') };
}

/** RFC 5280 4.1: Certificate -> tbsCertificate -> subjectPublicKeyInfo -> algorithm -> OID. */
function publicKeyAlgorithmOid(certificate: forge.asn1.Asn1): string | undefined {
  const tbs = children(certificate)[0];
  const fields = tbs === undefined ? [] : children(tbs);
  // version [0] EXPLICIT is optional (absent in v1 certificates).
  const offset = fields[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const spki = fields[offset + 5];
  const algorithm = spki === undefined ? undefined : children(spki)[0];
  const oid = algorithm === undefined ? undefined : children(algorithm)[0];
  if (oid?.type !== forge.asn1.Type.OID || typeof oid.value !== 'string') return undefined;
  return forge.asn1.derToOid(oid.value);
}

function children(node: forge.asn1.Asn1): forge.asn1.Asn1[] {
  return Array.isArray(node.value) ? node.value : [];
}
