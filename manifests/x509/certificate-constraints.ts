import type { ParsedCertificate } from './parse-certificate.js';
import { certificateInvalid } from './x509-errors.js';

/** Extension OIDs (RFC 5280 4.2.1). */
const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const EXT_KEY_USAGE = '2.5.29.37';
/** Extensions this verifier processes, or may ignore even when critical (RFC 5280 4.2). */
const UNDERSTOOD = new Set([
  BASIC_CONSTRAINTS,
  KEY_USAGE,
  EXT_KEY_USAGE,
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.17', // subjectAltName: identity here is the subject DN
]);
/** RFC 5280 4.2.1.12: id-kp-clientAuth and anyExtendedKeyUsage. */
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

/** The fields forge puts on a parsed extension that are read here. */
interface ForgeExtension {
  readonly id: string;
  readonly critical: boolean;
  readonly cA?: boolean;
  readonly pathLenConstraint?: number;
  readonly digitalSignature?: boolean;
  readonly keyCertSign?: boolean;
  readonly clientAuth?: boolean;
  readonly [flag: string]: unknown;
}

function extensions(c: ParsedCertificate): ForgeExtension[] {
  return c.cert.extensions as ForgeExtension[];
}

function extension(c: ParsedCertificate, id: string): ForgeExtension | undefined {
  return extensions(c).find((e) => e.id === id);
}

/** RFC 5280 4.1.2.5: valid from notBefore to notAfter, both inclusive. */
export function checkValidity(c: ParsedCertificate, depth: number, now: Date): void {
  const { notBefore, notAfter } = c.cert.validity;
  if (now.getTime() < notBefore.getTime()) {
    throw certificateInvalid('not-yet-valid', 'a certificate is not valid yet', { depth, notBefore: notBefore.toISOString() });
  }
  if (now.getTime() > notAfter.getTime()) {
    throw certificateInvalid('expired', 'a certificate has expired', { depth, notAfter: notAfter.toISOString() });
  }
}

/**
 * RFC 5280 4.2: no extension may appear twice, and a critical extension that is not
 * processed means the certificate must be rejected.
 */
export function checkExtensions(c: ParsedCertificate, depth: number): void {
  const seen = new Set<string>();
  for (const e of extensions(c)) {
    if (seen.has(e.id)) throw certificateInvalid('malformed', 'an extension appears twice', { depth, extension: e.id });
    seen.add(e.id);
    if (e.critical && !UNDERSTOOD.has(e.id)) {
      throw certificateInvalid('unsupported-extension', 'unsupported critical extension', { depth, extension: e.id });
    }
  }
}

/**
 * Checks a certificate that issued the one below it. RFC 5280 6.1.4 (k): basicConstraints
 * cA=true; (l)/(m): pathLenConstraint bounds the intermediates below it; (n): when keyUsage
 * is present it must allow keyCertSign. Depth d has d-1 intermediates below it.
 */
export function checkIssuer(c: ParsedCertificate, depth: number): void {
  const constraints = extension(c, BASIC_CONSTRAINTS);
  if (constraints?.cA !== true) throw certificateInvalid('not-a-ca', 'an issuer is not a CA', { depth });
  const below = depth - 1;
  const limit = constraints.pathLenConstraint;
  if (typeof limit === 'number' && below > limit) {
    throw certificateInvalid('path-length', 'pathLenConstraint exceeded', { depth, pathLenConstraint: limit, intermediatesBelow: below });
  }
  const usage = extension(c, KEY_USAGE);
  if (usage !== undefined && usage.keyCertSign !== true) {
    throw certificateInvalid('key-usage', 'issuer keyUsage lacks keyCertSign', { depth });
  }
}

/**
 * Checks the device certificate: not a CA (RFC 5280 4.2.1.9); keyUsage, when present,
 * allows digitalSignature (it signs the enrolment challenge, 4.2.1.3); extKeyUsage, when
 * present, allows client authentication (4.2.1.12).
 */
export function checkLeaf(c: ParsedCertificate): void {
  if (extension(c, BASIC_CONSTRAINTS)?.cA === true) {
    throw certificateInvalid('leaf-is-ca', 'the device certificate is a CA certificate', { depth: 0 });
  }
  const usage = extension(c, KEY_USAGE);
  if (usage !== undefined && usage.digitalSignature !== true) {
    throw certificateInvalid('key-usage', 'device keyUsage lacks digitalSignature', { depth: 0 });
  }
  const extended = extension(c, EXT_KEY_USAGE);
  if (extended !== undefined && extended.clientAuth !== true && extended[ANY_EXTENDED_KEY_USAGE] !== true) {
    throw certificateInvalid('key-usage', `device extKeyUsage lacks clientAuth (${CLIENT_AUTH})`, { depth: 0 });
  }
}
