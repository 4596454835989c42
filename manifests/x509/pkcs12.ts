/**
 * Reading PKCS#12 / PFX files (RFC 7292), which node:crypto cannot open: node-forge decrypts
 * and unpacks, node:crypto re-encodes the key.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { toPem } from './pem-block.js';
import { keyEncodingFailed } from './x509-errors.js';

/** RFC 7292 4.2 bag types. */
const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
/** A key with its chain is a few KiB; refuse anything far larger before parsing. */
const MAX_PKCS12_BYTES = 1024 * 1024;

export interface ReadPkcs12Input {
  readonly der: Uint8Array;
  readonly password: string;
}

export interface Pkcs12Contents {
  /** The one private key, as PKCS#8 PEM (`BEGIN PRIVATE KEY`). */
  readonly privateKeyPem: string;
  /** Every certificate, the one matching the private key first, the rest in file order. */
  readonly certificatesPem: readonly string[];
}

/**
 * Opens a password-protected PKCS#12 file holding exactly one private key (RSA, or any
 * type node:crypto reads) and its certificates. Reads what OpenSSL 3 writes by default
 * (PBES2 AES-256-CBC, HMAC-SHA-256 MAC) and the legacy 3DES / RC2 forms. Any failure,
 * including a wrong password, is `STW_MANIFEST_KEY_ENCODING`.
 *
 * The key derivation runs synchronously in JavaScript for as many iterations as the file
 * asks: use it in operator or vendor tooling, not on an unauthenticated request path.
 *
 * @example
 * const { privateKeyPem, certificatesPem } = readPkcs12({ der: fs.readFileSync('vendor.p12'), password });
 */
export function readPkcs12(input: ReadPkcs12Input): Pkcs12Contents {
  if (!(input.der instanceof Uint8Array) || input.der.length > MAX_PKCS12_BYTES) {
    throw keyEncodingFailed('unreadable', `PKCS#12 input must be bytes, at most ${MAX_PKCS12_BYTES}`);
  }
  let bags: forge.pkcs12.Bag[];
  try {
    const asn1 = forge.asn1.fromDer(Buffer.from(input.der).toString('binary'));
    const pfx = forge.pkcs12.pkcs12FromAsn1(asn1, true, input.password);
    bags = pfx.safeContents.flatMap((contents) => contents.safeBags);
  } catch (cause) {
    throw keyEncodingFailed('unreadable', 'PKCS#12 could not be read (wrong password or damaged file)', cause);
  }

  const keyBags = bags.filter((bag) => bag.type === KEY_BAG || bag.type === SHROUDED_KEY_BAG);
  if (keyBags.length !== 1) throw keyEncodingFailed('key-count', `PKCS#12 holds ${keyBags.length} private keys, expected 1`);
  const privateKey = readBagKey(keyBags[0]!);
  const certificates = bags.filter((bag) => bag.type === CERT_BAG).map(readBagCertificate);

  const ownSpki = spkiOfPrivateKey(privateKey);
  const own = certificates.filter((der) => spkiOfCertificate(der)?.equals(ownSpki) === true);
  const others = certificates.filter((der) => !own.includes(der));
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatesPem: [...own, ...others].map((der) => toPem('CERTIFICATE', der)),
  };
}

/** forge decodes RSA keys; for other types it leaves the PrivateKeyInfo ASN.1 in `asn1`. */
function readBagKey(bag: forge.pkcs12.Bag): KeyObject {
  try {
    const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
    const der = Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary');
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw keyEncodingFailed('unreadable', 'the PKCS#12 private key could not be read', cause);
  }
}

/** forge decodes RSA certificates; for others it leaves the Certificate ASN.1 in `asn1`. */
function readBagCertificate(bag: forge.pkcs12.Bag): Buffer {
  try {
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
    return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  } catch (cause) {
    throw keyEncodingFailed('unreadable', 'a PKCS#12 certificate could not be read', cause);
  }
}

function spkiOfPrivateKey(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

function spkiOfCertificate(der: Buffer): Buffer | undefined {
  try {
    return new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
  } catch {
    // A certificate OpenSSL cannot read simply does not match the key; it is still returned.
    return undefined;
  }
}
