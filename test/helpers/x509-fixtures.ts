// Test fixture: a vendor PKI (root CA -> manufacturing CA -> terminal certificate) made at
// test time with node-forge, with one switch per defect the verifier must refuse.
// The keys are throw-away test keys; nothing here is for production use.
import { constants, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';

export const FIXTURE_NOW = new Date('2027-06-01T12:00:00Z');
const DAY_MS = 86_400_000;

export type FixtureRole = 'root' | 'intermediate' | 'leaf';

export interface DevicePkiOptions {
  /** Which cached key set to use: another value gives another vendor's (or an impostor's) keys. */
  readonly keySet?: string;
  readonly rootCommonName?: string;
  readonly serialNumber?: string;
  readonly hardwareModel?: string;
  readonly expired?: FixtureRole;
  readonly notYetValid?: FixtureRole;
  readonly leafIsCa?: boolean;
  readonly intermediateNotCa?: boolean;
  readonly intermediateWithoutKeyCertSign?: boolean;
  /** The leaf names the intermediate as issuer but is signed by an unrelated key. */
  readonly wrongIssuerKey?: boolean;
  /** The root has pathLenConstraint 0, yet an intermediate sits below it. */
  readonly pathLenViolated?: boolean;
  readonly missingSerialNumber?: boolean;
  readonly missingHardwareModel?: boolean;
  readonly keyUsageWithoutDigitalSignature?: boolean;
  readonly leafExtKeyUsage?: 'clientAuth' | 'serverAuth';
  readonly unknownCriticalExtension?: boolean;
  /** The leaf is signed with sha1WithRSAEncryption. */
  readonly sha1Signature?: boolean;
  /** The leaf has an RSA-1024 key. */
  readonly weakLeafKey?: boolean;
  /** The leaf has a P-256 key (properly signed by the intermediate). */
  readonly ecLeafKey?: boolean;
  /**
   * The leaf is signed with RSASSA-PSS: 'sha256' with explicit SHA-256 / MGF1-SHA-256 / salt 32
   * parameters (RFC 4055), 'defaults' with empty parameters (which mean SHA-1).
   */
  readonly pssSignature?: 'sha256' | 'defaults';
}

export interface DevicePki {
  readonly rootPem: string;
  readonly intermediatePem: string;
  readonly leafPem: string;
  /** Leaf first, then the intermediate. */
  readonly chainPem: string[];
  readonly trustedCaPem: string[];
  /** PKCS#8 PEM of the leaf key. */
  readonly leafPrivateKeyPem: string;
  readonly now: Date;
  readonly serialNumber: string;
  readonly hardwareModel: string;
}

export interface FixtureKey {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

const keyCache = new Map<string, FixtureKey>();

/** A key pair made once per test process per label (node:crypto; forge keygen is slow). */
export function fixtureKey(label: string, kind: 'rsa-2048' | 'rsa-1024' | 'ec-p256' = 'rsa-2048'): FixtureKey {
  const cacheKey = `${label}/${kind}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const pair =
    kind === 'ec-p256'
      ? generateKeyPairSync('ec', {
          namedCurve: 'P-256',
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        })
      : generateKeyPairSync('rsa', {
          modulusLength: kind === 'rsa-1024' ? 1024 : 2048,
          publicKeyEncoding: { type: 'spki', format: 'pem' },
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        });
  const key: FixtureKey = { privateKeyPem: pair.privateKey, publicKeyPem: pair.publicKey };
  keyCache.set(cacheKey, key);
  return key;
}

/** Builds root, intermediate and terminal certificates valid at `FIXTURE_NOW` unless told otherwise. */
export function buildDevicePki(options: DevicePkiOptions = {}): DevicePki {
  const set = options.keySet ?? 'acme';
  const rootKey = fixtureKey(`${set}-root`);
  const intermediateKey = fixtureKey(`${set}-intermediate`);
  const leafKind = options.weakLeafKey ? 'rsa-1024' : 'rsa-2048';
  const leafKey = fixtureKey(`${set}-leaf`, leafKind);
  const serialNumber = options.serialNumber ?? 'SN-0001234';
  const hardwareModel = options.hardwareModel ?? 'A920';

  const org = { shortName: 'O', value: 'Acme Payment Terminals' };
  const rootName = [{ shortName: 'CN', value: options.rootCommonName ?? 'Acme Terminals Root CA' }, org];
  const intermediateName = [{ shortName: 'CN', value: 'Acme Terminals Manufacturing CA 1' }, org];
  const leafName = [
    { shortName: 'CN', value: `terminal ${serialNumber}` },
    ...(options.missingSerialNumber ? [] : [{ type: '2.5.4.5', value: serialNumber }]),
    ...(options.missingHardwareModel ? [] : [{ shortName: 'OU', value: hardwareModel, valueTagClass: forge.asn1.Type.UTF8 as number }]),
    org,
  ];

  const rootPem = issue({
    subject: rootName, issuer: rootName, publicKeyPem: rootKey.publicKeyPem, signerPem: rootKey.privateKeyPem,
    validity: validity('root', options, 3650),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true, ...(options.pathLenViolated ? { pathLenConstraint: 0 } : {}) },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const intermediatePem = issue({
    subject: intermediateName, issuer: rootName, publicKeyPem: intermediateKey.publicKeyPem, signerPem: rootKey.privateKeyPem,
    validity: validity('intermediate', options, 3000),
    extensions: [
      options.intermediateNotCa
        ? { name: 'basicConstraints', cA: false, critical: true }
        : { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      options.intermediateWithoutKeyCertSign
        ? { name: 'keyUsage', digitalSignature: true, cRLSign: true, critical: true }
        : { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leafSigner = options.wrongIssuerKey ? fixtureKey(`${set}-rogue`) : intermediateKey;
  let leafPem = issue({
    subject: leafName, issuer: intermediateName, publicKeyPem: leafKey.publicKeyPem, signerPem: leafSigner.privateKeyPem,
    validity: validity('leaf', options, 1825),
    digest: options.sha1Signature ? 'sha1' : 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: options.leafIsCa === true, critical: true },
      { name: 'keyUsage', digitalSignature: !options.keyUsageWithoutDigitalSignature, keyEncipherment: true, critical: true },
      ...(options.leafExtKeyUsage ? [{ name: 'extKeyUsage', [options.leafExtKeyUsage]: true }] : []),
      ...(options.unknownCriticalExtension ? [unknownCriticalExtension()] : []),
    ],
  });
  let leafPrivateKeyPem = leafKey.privateKeyPem;
  if (options.ecLeafKey || options.pssSignature) {
    const ecKey = options.ecLeafKey ? fixtureKey(`${set}-leaf`, 'ec-p256') : undefined;
    leafPem = resign(leafPem, leafSigner.privateKeyPem, { spkiPem: ecKey?.publicKeyPem, pss: options.pssSignature });
    leafPrivateKeyPem = ecKey?.privateKeyPem ?? leafPrivateKeyPem;
  }
  return {
    rootPem, intermediatePem, leafPem, chainPem: [leafPem, intermediatePem], trustedCaPem: [rootPem],
    leafPrivateKeyPem, now: FIXTURE_NOW, serialNumber, hardwareModel,
  };
}

interface IssueSpec {
  readonly subject: forge.pki.CertificateField[];
  readonly issuer: forge.pki.CertificateField[];
  readonly publicKeyPem: string;
  readonly signerPem: string;
  readonly validity: { notBefore: Date; notAfter: Date };
  readonly extensions: object[];
  readonly digest?: 'sha1' | 'sha256';
}

function issue(spec: IssueSpec): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicKeyPem);
  // A positive serial: the first byte below 0x80.
  cert.serialNumber = `1${randomBytes(9).toString('hex')}`;
  cert.validity.notBefore = spec.validity.notBefore;
  cert.validity.notAfter = spec.validity.notAfter;
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.issuer);
  cert.setExtensions(spec.extensions);
  const digest = spec.digest === 'sha1' ? forge.md.sha1.create() : forge.md.sha256.create();
  cert.sign(forge.pki.privateKeyFromPem(spec.signerPem) as forge.pki.rsa.PrivateKey, digest);
  return forge.pki.certificateToPem(cert);
}

function validity(role: FixtureRole, options: DevicePkiOptions, lifetimeDays: number): { notBefore: Date; notAfter: Date } {
  const at = (days: number) => new Date(FIXTURE_NOW.getTime() + days * DAY_MS);
  if (options.expired === role) return { notBefore: at(-lifetimeDays), notAfter: at(-1) };
  if (options.notYetValid === role) return { notBefore: at(1), notAfter: at(lifetimeDays) };
  return { notBefore: at(-30), notAfter: at(lifetimeDays) };
}

function unknownCriticalExtension(): object {
  const value = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.UTF8, false, 'acme-policy');
  return { id: '1.3.6.1.4.1.55555.1.1', critical: true, value: forge.asn1.toDer(value).getBytes() };
}

/** RFC 4055 3.1 AlgorithmIdentifiers for RSASSA-PSS: SHA-256, MGF1-SHA-256, salt 32; and all defaults. */
const PSS_SHA256_ALGORITHM =
  '3041' + '06092a864886f70d01010a' + '3034' + 'a00f300d06096086480165030402010500' +
  'a11c301a06092a864886f70d010108300d06096086480165030402010500' + 'a203020120';
const PSS_DEFAULTS_ALGORITHM = '300d' + '06092a864886f70d01010a' + '3000';

/**
 * What forge cannot write: swaps in another SubjectPublicKeyInfo (forge writes RSA keys only)
 * and/or an RSASSA-PSS signature algorithm, then re-signs the TBSCertificate with node:crypto.
 */
function resign(certPem: string, signerPem: string, change: { spkiPem?: string; pss?: 'sha256' | 'defaults' }): string {
  const certificate = forge.pki.certificateToAsn1(forge.pki.certificateFromPem(certPem));
  const parts = certificate.value as forge.asn1.Asn1[];
  const fields = parts[0]!.value as forge.asn1.Asn1[]; // [0] version, serial, signature, issuer, validity, subject, spki
  if (change.spkiPem !== undefined) fields[6] = forge.asn1.fromDer(forge.pem.decode(change.spkiPem)[0]!.body);
  if (change.pss !== undefined) {
    const algorithm = change.pss === 'sha256' ? PSS_SHA256_ALGORITHM : PSS_DEFAULTS_ALGORITHM;
    fields[2] = forge.asn1.fromDer(forge.util.hexToBytes(algorithm));
    parts[1] = forge.asn1.fromDer(forge.util.hexToBytes(algorithm));
  }
  const tbs = Buffer.from(forge.asn1.toDer(parts[0]!).getBytes(), 'binary');
  const signature =
    change.pss === undefined
      ? sign('sha256', tbs, signerPem)
      : sign('sha256', tbs, { key: signerPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  parts[2] = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.BITSTRING, false, `\u0000${signature.toString('binary')}`);
  return forge.pem.encode({ type: 'CERTIFICATE', body: forge.asn1.toDer(certificate).getBytes() });
}
