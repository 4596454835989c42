import t from 'tap';
import { constants, verify } from 'node:crypto';
import forge from 'node-forge';
import { ManifestError } from '../../../manifests/errors.js';
import {
  certificateFingerprintSha256,
  MAX_CHAIN_LENGTH,
  signChallenge,
  verifyCertificateChain,
  verifyChallengeSignature,
} from '../../../manifests/x509/index.js';
import { buildDevicePki, FIXTURE_NOW } from '../../helpers/x509-fixtures.js';
import type { DevicePkiOptions } from '../../helpers/x509-fixtures.js';

const good = buildDevicePki();

t.test('a valid chain yields the terminal identity and a key node:crypto can use', async (t) => {
  const device = verifyCertificateChain({ chainPem: good.chainPem, trustedCaPem: good.trustedCaPem, now: FIXTURE_NOW });
  t.equal(device.serialNumber, 'SN-0001234');
  t.equal(device.hardwareModel, 'A920');
  t.equal(device.commonName, 'terminal SN-0001234');
  t.equal(device.issuerCommonName, 'Acme Terminals Manufacturing CA 1');
  t.equal(device.certificateSerial, forge.pki.certificateFromPem(good.leafPem).serialNumber.toLowerCase());
  t.match(device.certificateSerial, /^[0-9a-f]+$/);
  t.ok(device.notBefore < FIXTURE_NOW && FIXTURE_NOW < device.notAfter);
  t.equal(device.fingerprintSha256, certificateFingerprintSha256(good.leafPem));
  t.equal(device.trustAnchorFingerprintSha256, certificateFingerprintSha256(good.rootPem));
  t.match(device.publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);

  const challenge = new Uint8Array(Buffer.from('enrolment challenge 8c1f'));
  const signature = signChallenge(good.leafPrivateKeyPem, challenge);
  t.ok(verify('sha256', challenge, { key: device.publicKeyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature));
  t.ok(verifyChallengeSignature({ publicKeyPem: device.publicKeyPem, challenge, signature }));
});

t.test('a chain that includes the trusted root verifies to the same identity', async (t) => {
  const device = verifyCertificateChain({ chainPem: [...good.chainPem, good.rootPem], trustedCaPem: good.trustedCaPem, now: FIXTURE_NOW });
  t.equal(device.serialNumber, good.serialNumber);
  t.equal(device.trustAnchorFingerprintSha256, certificateFingerprintSha256(good.rootPem));
});

t.test('with several vendor CAs registered, the result names the one that vouched', async (t) => {
  const other = buildDevicePki({ keySet: 'globex', rootCommonName: 'Globex Root CA' });
  const device = verifyCertificateChain({ chainPem: good.chainPem, trustedCaPem: [other.rootPem, good.rootPem], now: FIXTURE_NOW });
  t.equal(device.trustAnchorFingerprintSha256, certificateFingerprintSha256(good.rootPem));
});

t.test('a UTF8String hardware model and a clientAuth extKeyUsage are accepted', async (t) => {
  const pki = buildDevicePki({ hardwareModel: 'Modèle-Ω 7', leafExtKeyUsage: 'clientAuth' });
  const device = verifyCertificateChain({ chainPem: pki.chainPem, trustedCaPem: pki.trustedCaPem, now: FIXTURE_NOW });
  t.equal(device.hardwareModel, 'Modèle-Ω 7');
});

t.test('a device certificate signed with RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) is accepted', async (t) => {
  const pki = buildDevicePki({ pssSignature: 'sha256' });
  const device = verifyCertificateChain({ chainPem: pki.chainPem, trustedCaPem: pki.trustedCaPem, now: FIXTURE_NOW });
  t.equal(device.serialNumber, pki.serialNumber);
});

t.test('validity windows include both ends', async (t) => {
  const { notAfter, notBefore } = verifyCertificateChain({ chainPem: good.chainPem, trustedCaPem: good.trustedCaPem, now: FIXTURE_NOW });
  const at = (now: Date) => () => verifyCertificateChain({ chainPem: good.chainPem, trustedCaPem: good.trustedCaPem, now });
  t.doesNotThrow(at(notAfter), 'at notAfter');
  t.doesNotThrow(at(notBefore), 'at notBefore');
  t.throws(at(new Date(notAfter.getTime() + 1000)), { code: 'STW_MANIFEST_CERT_INVALID', details: { reason: 'expired', depth: 0 } });
  t.throws(at(new Date(notBefore.getTime() - 1000)), { code: 'STW_MANIFEST_CERT_INVALID', details: { reason: 'not-yet-valid', depth: 0 } });
});

interface RejectionCase {
  readonly situation: string;
  readonly options: DevicePkiOptions;
  readonly reason: string;
  readonly depth?: number;
  /** Trust the genuine Acme root instead of the root built with the defect. */
  readonly trustGenuineRoot?: boolean;
}

const rejections: RejectionCase[] = [
  { situation: 'the device certificate has expired', options: { expired: 'leaf' }, reason: 'expired', depth: 0 },
  { situation: 'the manufacturing CA has expired', options: { expired: 'intermediate' }, reason: 'expired', depth: 1 },
  { situation: 'the trusted root has expired', options: { expired: 'root' }, reason: 'expired', depth: 2 },
  { situation: 'the device certificate is not valid yet', options: { notYetValid: 'leaf' }, reason: 'not-yet-valid', depth: 0 },
  { situation: 'the manufacturing CA is not valid yet', options: { notYetValid: 'intermediate' }, reason: 'not-yet-valid', depth: 1 },
  { situation: 'the device certificate is marked CA', options: { leafIsCa: true }, reason: 'leaf-is-ca', depth: 0 },
  { situation: 'the intermediate lacks cA=true', options: { intermediateNotCa: true }, reason: 'not-a-ca', depth: 1 },
  { situation: 'the intermediate keyUsage lacks keyCertSign', options: { intermediateWithoutKeyCertSign: true }, reason: 'key-usage', depth: 1 },
  { situation: 'the device certificate is signed by another key than its issuer', options: { wrongIssuerKey: true }, reason: 'signature', depth: 0 },
  { situation: 'the root pathLenConstraint 0 is exceeded by an intermediate', options: { pathLenViolated: true }, reason: 'path-length', depth: 2 },
  { situation: 'the subject has no serialNumber', options: { missingSerialNumber: true }, reason: 'subject' },
  { situation: 'the subject has no OU', options: { missingHardwareModel: true }, reason: 'subject' },
  { situation: 'the serialNumber PrintableString holds characters outside its alphabet', options: { serialNumber: 'SN_0001' }, reason: 'subject' },
  { situation: 'the device keyUsage lacks digitalSignature', options: { keyUsageWithoutDigitalSignature: true }, reason: 'key-usage', depth: 0 },
  { situation: 'the device extKeyUsage is serverAuth only', options: { leafExtKeyUsage: 'serverAuth' }, reason: 'key-usage', depth: 0 },
  { situation: 'an unknown extension is marked critical', options: { unknownCriticalExtension: true }, reason: 'unsupported-extension', depth: 0 },
  { situation: 'the device certificate is signed with SHA-1', options: { sha1Signature: true }, reason: 'unsupported-algorithm', depth: 0 },
  { situation: 'the device certificate is signed with RSASSA-PSS default (SHA-1) parameters', options: { pssSignature: 'defaults' }, reason: 'unsupported-algorithm', depth: 0 },
  { situation: 'the device key is RSA-1024', options: { weakLeafKey: true }, reason: 'unsupported-key', depth: 0 },
  { situation: 'the device key is ECDSA P-256', options: { ecLeafKey: true }, reason: 'unsupported-key', depth: 0 },
  { situation: 'a CA with the trusted root name but another key signed the intermediate', options: { keySet: 'impostor' }, reason: 'signature', depth: 1, trustGenuineRoot: true },
  { situation: 'the chain leads to another vendor root', options: { keySet: 'globex', rootCommonName: 'Globex Root CA' }, reason: 'untrusted-root', depth: 1, trustGenuineRoot: true },
];

for (const { situation, options, reason, depth, trustGenuineRoot } of rejections) {
  t.test(`refused with reason ${reason} when ${situation}`, async (t) => {
    const pki = buildDevicePki(options);
    const trustedCaPem = trustGenuineRoot ? good.trustedCaPem : pki.trustedCaPem;
    const error = catchError(() => verifyCertificateChain({ chainPem: pki.chainPem, trustedCaPem, now: FIXTURE_NOW }));
    t.ok(error instanceof ManifestError);
    t.equal(error?.code, 'STW_MANIFEST_CERT_INVALID');
    t.equal(error?.details?.reason, reason);
    if (depth !== undefined) t.equal(error?.details?.depth, depth);
  });
}

t.test('refused with reason chain-length when the chain is empty or too long', async (t) => {
  const tooLong = Array.from({ length: MAX_CHAIN_LENGTH + 1 }, () => good.intermediatePem);
  for (const chainPem of [[], [good.leafPem, ...tooLong]]) {
    t.throws(() => verifyCertificateChain({ chainPem, trustedCaPem: good.trustedCaPem, now: FIXTURE_NOW }), {
      code: 'STW_MANIFEST_CERT_INVALID',
      details: { reason: 'chain-length' },
    });
  }
});

t.test('refused with reason untrusted-root when no vendor CA is registered', async (t) => {
  t.throws(() => verifyCertificateChain({ chainPem: good.chainPem, trustedCaPem: [], now: FIXTURE_NOW }), {
    code: 'STW_MANIFEST_CERT_INVALID',
    details: { reason: 'untrusted-root' },
  });
});

t.test('refused with reason issuer-mismatch when the chain is out of order', async (t) => {
  t.throws(() => verifyCertificateChain({ chainPem: [good.intermediatePem, good.leafPem], trustedCaPem: good.trustedCaPem, now: FIXTURE_NOW }), {
    code: 'STW_MANIFEST_CERT_INVALID',
    details: { reason: 'issuer-mismatch', depth: 0 },
  });
});

t.test('refused with reason issuer-mismatch when certificates follow the trusted root', async (t) => {
  const chainPem = [...good.chainPem, good.rootPem, good.intermediatePem];
  t.throws(() => verifyCertificateChain({ chainPem, trustedCaPem: good.trustedCaPem, now: FIXTURE_NOW }), {
    code: 'STW_MANIFEST_CERT_INVALID',
    details: { reason: 'issuer-mismatch', depth: 3 },
  });
});

t.test('an invalid clock is a programming error, not a certificate verdict', async (t) => {
  t.throws(() => verifyCertificateChain({ chainPem: good.chainPem, trustedCaPem: good.trustedCaPem, now: new Date(Number.NaN) }), RangeError);
});

function catchError(run: () => unknown): ManifestError | undefined {
  try {
    run();
  } catch (error) {
    return error as ManifestError;
  }
  return undefined;
}
