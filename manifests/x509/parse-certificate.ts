import { createHash } from 'node:crypto';
import forge from 'node-forge';
import { readSinglePemBlock } from './pem-block.js';
import { certificateInvalid } from './x509-errors.js';

/** RFC 8017 A.1: rsaEncryption, the only SubjectPublicKeyInfo algorithm forge's X.509 reads. */
const RSA_ENCRYPTION_OID = '1.2.840.113549.1.1.1';
/** RFC 8017 A.2.3: id-RSASSA-PSS. */
const RSASSA_PSS_OID = '1.2.840.113549.1.1.10';
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

  const binary = der.toString('binary');
  let asn1: forge.asn1.Asn1;
  try {
    // Every byte must belong to the certificate.
    asn1 = forge.asn1.fromDer(binary);
  } catch (cause) {
    throw certificateInvalid('malformed', 'certificate is not valid DER', where, cause);
  }
  // RFC 5280 4.1: DER, so one certificate has one encoding and one fingerprint. Re-encoding
  // must give the same bytes (no long-form lengths, no padded integers, no BER).
  if (forge.asn1.toDer(asn1).getBytes() !== binary) {
    throw certificateInvalid('malformed', 'certificate is not canonical DER', where);
  }
  if (!algorithmIdentifiersMatch(asn1)) {
    throw certificateInvalid('malformed', 'signatureAlgorithm differs from tbsCertificate.signature', where);
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
    // forge reads RSASSA-PSS parameters only when hash, MGF and salt are all explicit.
    if (signatureAlgorithmOid(asn1) === RSASSA_PSS_OID) {
      throw certificateInvalid('unsupported-algorithm', 'RSASSA-PSS parameters that cannot be read', where, cause);
    }
    throw certificateInvalid('malformed', 'certificate structure could not be read', where, cause);
  }
  const bits = (cert.publicKey as forge.pki.rsa.PublicKey).n.bitLength();
  if (bits < MIN_RSA_BITS) {
    throw certificateInvalid('unsupported-key', `RSA key of ${bits} bits is below ${MIN_RSA_BITS}`, { ...where, bits });
  }
  return { der, cert, fingerprintSha256: createHash('sha256').update(der).digest('hex') };
}

/** The fields of tbsCertificate from `serialNumber` on (version [0] EXPLICIT is optional). */
function tbsFields(certificate: forge.asn1.Asn1): forge.asn1.Asn1[] {
  const tbs = children(certificate)[0];
  const fields = tbs === undefined ? [] : children(tbs);
  return fields[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? fields.slice(1) : fields;
}

/**
 * RFC 5280 4.1.1.2: signatureAlgorithm MUST equal tbsCertificate.signature. Compared as DER:
 * the outer field is not covered by the signature, so any slack there would let the same
 * signed certificate take many encodings (and fingerprints).
 */
function algorithmIdentifiersMatch(certificate: forge.asn1.Asn1): boolean {
  const outer = children(certificate)[1];
  const inner = tbsFields(certificate)[1];
  if (outer === undefined || inner === undefined) return false;
  return forge.asn1.toDer(outer).getBytes() === forge.asn1.toDer(inner).getBytes();
}

/** RFC 5280 4.1: tbsCertificate -> subjectPublicKeyInfo -> algorithm -> OID. */
function publicKeyAlgorithmOid(certificate: forge.asn1.Asn1): string | undefined {
  const spki = tbsFields(certificate)[5];
  return algorithmOid(spki === undefined ? undefined : children(spki)[0]);
}

/** RFC 5280 4.1: Certificate -> signatureAlgorithm -> OID. */
function signatureAlgorithmOid(certificate: forge.asn1.Asn1): string | undefined {
  return algorithmOid(children(certificate)[1]);
}

function algorithmOid(algorithmIdentifier: forge.asn1.Asn1 | undefined): string | undefined {
  const oid = algorithmIdentifier === undefined ? undefined : children(algorithmIdentifier)[0];
  if (oid?.type !== forge.asn1.Type.OID || typeof oid.value !== 'string') return undefined;
  return forge.asn1.derToOid(oid.value);
}

function children(node: forge.asn1.Asn1): forge.asn1.Asn1[] {
  return Array.isArray(node.value) ? node.value : [];
}
