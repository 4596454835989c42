import t from 'tap';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import {
  certificateFingerprintSha256,
  publicKeyPemFromCertificate,
  readPkcs12,
  verifyCertificateChain,
} from '../../../manifests/x509/index.js';
import { buildDevicePki } from '../../helpers/x509-fixtures.js';
import { buildPkcs12 } from './fixtures/pkcs12-builder.js';
import { OPENSSL_EC_PKCS12_BASE64, OPENSSL_PKCS12_PASSWORD, OPENSSL_RSA_PKCS12_BASE64 } from './fixtures/openssl-pkcs12.js';

const pki = buildDevicePki();

function publicKeyOf(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

for (const algorithm of ['aes256', '3des'] as const) {
  t.test(`a PKCS#12 written by node-forge (${algorithm}) reads back to the same key and certificates`, async (t) => {
    const der = buildPkcs12({
      privateKeyPem: pki.leafPrivateKeyPem,
      certificatesPem: [pki.intermediatePem, pki.leafPem],
      password: 'vendor p12',
      algorithm,
    });
    const contents = readPkcs12({ der, password: 'vendor p12' });
    t.equal(contents.privateKeyPem, pki.leafPrivateKeyPem, 'PKCS#8 PEM of the same key');
    t.same(
      contents.certificatesPem.map(certificateFingerprintSha256),
      [pki.leafPem, pki.intermediatePem].map(certificateFingerprintSha256),
      'the certificate of the key first, the others after it',
    );
    const device = verifyCertificateChain({ chainPem: [...contents.certificatesPem], trustedCaPem: pki.trustedCaPem, now: pki.now });
    t.equal(device.serialNumber, pki.serialNumber, 'the certificates still verify as a chain');
  });
}

t.test('a PKCS#12 written by OpenSSL 3 with its defaults (AES-256, SHA-256 MAC) is read', async (t) => {
  const contents = readPkcs12({ der: Buffer.from(OPENSSL_RSA_PKCS12_BASE64, 'base64'), password: OPENSSL_PKCS12_PASSWORD });
  t.match(contents.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  t.equal(createPrivateKey(contents.privateKeyPem).asymmetricKeyType, 'rsa');
  t.equal(contents.certificatesPem.length, 1);
  t.equal(publicKeyPemFromCertificate(contents.certificatesPem[0]!), publicKeyOf(contents.privateKeyPem));
});

t.test('a PKCS#12 holding an EC key and certificate is read although forge cannot decode either', async (t) => {
  const contents = readPkcs12({ der: Buffer.from(OPENSSL_EC_PKCS12_BASE64, 'base64'), password: OPENSSL_PKCS12_PASSWORD });
  t.equal(createPrivateKey(contents.privateKeyPem).asymmetricKeyType, 'ec');
  t.equal(contents.certificatesPem.length, 1);
  t.equal(publicKeyPemFromCertificate(contents.certificatesPem[0]!), publicKeyOf(contents.privateKeyPem));
});

t.test('the wrong password fails with STW_MANIFEST_KEY_ENCODING and keeps the cause', async (t) => {
  const der = buildPkcs12({ privateKeyPem: pki.leafPrivateKeyPem, certificatesPem: [pki.leafPem], password: 'right' });
  t.throws(() => readPkcs12({ der, password: 'wrong' }), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'unreadable' } });
  try {
    readPkcs12({ der: Buffer.from(OPENSSL_RSA_PKCS12_BASE64, 'base64'), password: 'wrong' });
    t.fail('expected a failure');
  } catch (error) {
    t.ok((error as Error).cause instanceof Error, 'the node-forge error is the cause');
  }
});

t.test('a PKCS#12 without a private key fails with reason key-count', async (t) => {
  const der = buildPkcs12({ certificatesPem: [pki.leafPem, pki.intermediatePem], password: 'p' });
  t.throws(() => readPkcs12({ der, password: 'p' }), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'key-count' } });
});

t.test('garbage, truncated or non-byte input fails with STW_MANIFEST_KEY_ENCODING, never a crash', async (t) => {
  const good = buildPkcs12({ privateKeyPem: pki.leafPrivateKeyPem, certificatesPem: [pki.leafPem], password: 'p' });
  const inputs: Record<string, unknown> = {
    'random bytes': new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x03, 0xff]),
    empty: new Uint8Array(),
    truncated: good.subarray(0, good.length - 40),
    'a string': 'MIIKdAIBAzCC',
    'more than a megabyte': new Uint8Array(1024 * 1024 + 1),
  };
  for (const [situation, der] of Object.entries(inputs)) {
    t.throws(() => readPkcs12({ der: der as Uint8Array, password: 'p' }), { code: 'STW_MANIFEST_KEY_ENCODING' }, situation);
  }
});
