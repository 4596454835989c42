import t from 'tap';
import { ManifestError } from '../../../manifests/errors.js';
import { verifyCertificateChain } from '../../../manifests/x509/index.js';
import { buildDevicePki, FIXTURE_NOW } from '../../helpers/x509-fixtures.js';

const pki = buildDevicePki();

function der(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, ''), 'base64');
}

function pem(bytes: Buffer, label = 'CERTIFICATE'): string {
  return `-----BEGIN ${label}-----\n${bytes.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;
}

function verifyLeaf(leafPem: unknown) {
  return () => verifyCertificateChain({ chainPem: [leafPem as string, pki.intermediatePem], trustedCaPem: pki.trustedCaPem, now: FIXTURE_NOW });
}

t.test('a device certificate whose signed bytes were altered is refused with reason signature', async (t) => {
  const bytes = der(pki.leafPem);
  const at = bytes.indexOf('A920');
  t.ok(at > 0, 'the hardware model is in the DER');
  bytes[at + 3] = '1'.charCodeAt(0); // A920 -> A921, same length, still well-formed
  t.throws(verifyLeaf(pem(bytes)), { code: 'STW_MANIFEST_CERT_INVALID', details: { reason: 'signature', depth: 0 } });
});

t.test('a device certificate with a corrupted signature value is refused with reason signature', async (t) => {
  const bytes = der(pki.leafPem);
  bytes[bytes.length - 1]! ^= 0x01;
  t.throws(verifyLeaf(pem(bytes)), { code: 'STW_MANIFEST_CERT_INVALID', details: { reason: 'signature', depth: 0 } });
});

t.test('an intermediate whose signed bytes were altered is refused with reason signature', async (t) => {
  const bytes = der(pki.intermediatePem);
  const at = bytes.indexOf('Manufacturing CA 1');
  bytes[at + 17] = '2'.charCodeAt(0);
  // The leaf's issuer name no longer matches either, so the break is found at depth 0 or 1.
  const error = catchError(() =>
    verifyCertificateChain({ chainPem: [pki.leafPem, pem(bytes)], trustedCaPem: pki.trustedCaPem, now: FIXTURE_NOW }),
  );
  t.equal(error?.code, 'STW_MANIFEST_CERT_INVALID');
  t.equal(error?.details?.reason, 'issuer-mismatch');
});

// Regression: forge ignores the parameters of the outer (unsigned) signatureAlgorithm, so a
// changed byte there left the signature valid and gave the same certificate a new fingerprint.
t.test('a certificate whose unsigned outer signatureAlgorithm was altered is refused with reason malformed', async (t) => {
  const bytes = der(pki.leafPem);
  const sha256WithRsaAndNull = Buffer.from('300d06092a864886f70d01010b0500', 'hex');
  const outer = bytes.lastIndexOf(sha256WithRsaAndNull);
  t.ok(outer > bytes.indexOf(sha256WithRsaAndNull), 'the outer identifier follows the inner one');
  bytes[outer + 13] = 0x04; // NULL -> empty OCTET STRING
  t.throws(verifyLeaf(pem(bytes)), { code: 'STW_MANIFEST_CERT_INVALID', details: { reason: 'malformed', depth: 0 } });
});

t.test('a certificate with a non-minimal length encoding is refused with reason malformed', async (t) => {
  const bytes = der(pki.leafPem);
  t.equal(bytes[1], 0x82, 'the outer SEQUENCE uses a two-byte length');
  // 30 82 LL LL -> 30 83 00 LL LL: the same value in BER, a second encoding in DER terms.
  const longer = Buffer.concat([Buffer.from([0x30, 0x83, 0x00]), bytes.subarray(2)]);
  t.throws(verifyLeaf(pem(longer)), { code: 'STW_MANIFEST_CERT_INVALID', details: { reason: 'malformed', depth: 0 } });
});

t.test('every single-byte corruption of the device certificate is refused, never accepted or crashing', async (t) => {
  const original = der(pki.leafPem);
  const unexpected: string[] = [];
  for (let i = 0; i < original.length; i += 1) {
    const bytes = Buffer.from(original);
    bytes[i]! ^= 0x5a;
    const error = catchError(verifyLeaf(pem(bytes)));
    if (!(error instanceof ManifestError) || error.code !== 'STW_MANIFEST_CERT_INVALID') unexpected.push(`byte ${i}`);
  }
  t.same(unexpected, [], `${original.length} corrupted certificates, all refused`);
});

const garbage: Record<string, unknown> = {
  'an empty string': '',
  'plain text': 'this is not a certificate',
  'a PEM body that is not base64': '-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n',
  'a PEM without its end line': pki.leafPem.replace('-----END CERTIFICATE-----', ''),
  'a PEM of random bytes': pem(Buffer.from('00112233445566778899aabbccddeeff', 'hex')),
  'a truncated certificate': pem(der(pki.leafPem).subarray(0, 300)),
  'a certificate followed by extra bytes': pem(Buffer.concat([der(pki.leafPem), Buffer.from([0, 0])])),
  'two certificates in one string': pki.leafPem + pki.intermediatePem,
  'a private key instead of a certificate': pki.leafPrivateKeyPem,
  'a number': 42,
  'an enormous string': 'A'.repeat(300_000),
};

for (const [situation, input] of Object.entries(garbage)) {
  t.test(`refused with reason malformed when the device certificate is ${situation}`, async (t) => {
    t.throws(verifyLeaf(input), { code: 'STW_MANIFEST_CERT_INVALID', details: { reason: 'malformed', depth: 0 } });
  });
}

t.test('a garbage trusted CA is reported as such, with its index', async (t) => {
  t.throws(
    () => verifyCertificateChain({ chainPem: pki.chainPem, trustedCaPem: [pki.rootPem, 'garbage'], now: FIXTURE_NOW }),
    { code: 'STW_MANIFEST_CERT_INVALID', details: { reason: 'malformed', trustedCa: 1 } },
  );
});

function catchError(run: () => unknown): ManifestError | undefined {
  try {
    run();
  } catch (error) {
    return error as ManifestError;
  }
  return undefined;
}
