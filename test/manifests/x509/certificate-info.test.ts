import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { certificateFingerprintSha256, publicKeyPemFromCertificate } from '../../../manifests/x509/index.js';
import { buildDevicePki, fixtureKey } from '../../helpers/x509-fixtures.js';

const pki = buildDevicePki();
const notACertificate = '-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQoLDA0ODw==\n-----END CERTIFICATE-----\n';

t.test('the public key of a certificate comes out as the SPKI PEM of the key it was issued for', async (t) => {
  t.equal(publicKeyPemFromCertificate(pki.leafPem), fixtureKey('acme-leaf').publicKeyPem);
  t.equal(publicKeyPemFromCertificate(pki.rootPem), fixtureKey('acme-root').publicKeyPem);
});

t.test('the fingerprint is the lower-case hex SHA-256 of the DER, as OpenSSL computes it', async (t) => {
  const fingerprint = certificateFingerprintSha256(pki.rootPem);
  t.match(fingerprint, /^[0-9a-f]{64}$/);
  t.equal(fingerprint, new X509Certificate(pki.rootPem).fingerprint256.replace(/:/g, '').toLowerCase());
  t.not(fingerprint, certificateFingerprintSha256(pki.intermediatePem));
});

t.test('explanatory text around the PEM block is allowed', async (t) => {
  const withText = `Bag Attributes\n    friendlyName: terminal\n${pki.leafPem}\ntrailing note\n`;
  t.equal(certificateFingerprintSha256(withText), certificateFingerprintSha256(pki.leafPem));
});

t.test('anything but one readable certificate fails with STW_MANIFEST_KEY_ENCODING', async (t) => {
  for (const read of [publicKeyPemFromCertificate, certificateFingerprintSha256]) {
    t.throws(() => read('garbage'), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'pem' } });
    t.throws(() => read(pki.leafPem + pki.rootPem), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'pem' } });
    t.throws(() => read(pki.leafPrivateKeyPem), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'pem' } });
    t.throws(() => read(notACertificate), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'unreadable' } });
  }
});
