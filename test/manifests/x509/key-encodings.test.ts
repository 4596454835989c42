import t from 'tap';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import forge from 'node-forge';
import {
  decryptPkcs8Pem,
  pkcs1ToPkcs8Pem,
  pkcs8ToPkcs1Pem,
  signChallenge,
  verifyChallengeSignature,
} from '../../../manifests/x509/index.js';
import { fixtureKey } from '../../helpers/x509-fixtures.js';

const key = fixtureKey('encodings-vendor');
const pkcs8 = key.privateKeyPem;
const pkcs1 = createPrivateKey(pkcs8).export({ type: 'pkcs1', format: 'pem' }).toString();
const challenge = new Uint8Array(Buffer.from('key encoding round trip'));

function spkiOf(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

function signsForTheSameKey(privateKeyPem: string): boolean {
  const signature = signChallenge(privateKeyPem, challenge);
  return verifyChallengeSignature({ publicKeyPem: key.publicKeyPem, challenge, signature });
}

t.test('PKCS#1 to PKCS#8 gives a key node:crypto reads, that signs for the same public key', async (t) => {
  const converted = pkcs1ToPkcs8Pem(pkcs1);
  t.match(converted, /^-----BEGIN PRIVATE KEY-----\n/);
  t.equal(createPrivateKey(converted).asymmetricKeyType, 'rsa');
  t.equal(spkiOf(converted), key.publicKeyPem);
  t.ok(signsForTheSameKey(converted));
});

t.test('PKCS#8 to PKCS#1 gives a key node:crypto reads, that signs for the same public key', async (t) => {
  const converted = pkcs8ToPkcs1Pem(pkcs8);
  t.match(converted, /^-----BEGIN RSA PRIVATE KEY-----\n/);
  t.equal(spkiOf(converted), key.publicKeyPem);
  t.ok(signsForTheSameKey(converted));
});

t.test('PKCS#8 -> PKCS#1 -> PKCS#8 returns the original bytes', async (t) => {
  t.equal(pkcs1ToPkcs8Pem(pkcs8ToPkcs1Pem(pkcs8)), pkcs8);
  t.equal(pkcs8ToPkcs1Pem(pkcs1ToPkcs8Pem(pkcs1)), pkcs1);
});

t.test('a PKCS#1 key written by node-forge converts too', async (t) => {
  const forgePkcs1 = forge.pki.privateKeyToPem(forge.pki.privateKeyFromPem(pkcs8));
  t.match(forgePkcs1, /BEGIN RSA PRIVATE KEY/);
  t.equal(pkcs1ToPkcs8Pem(forgePkcs1), pkcs8);
});

t.test('an encrypted PKCS#8 key with its password becomes the plain PKCS#8 key', async (t) => {
  const byOpenSsl = createPrivateKey(pkcs8).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'hsm export 1' });
  t.match(byOpenSsl.toString(), /BEGIN ENCRYPTED PRIVATE KEY/);
  t.equal(decryptPkcs8Pem(byOpenSsl.toString(), 'hsm export 1'), pkcs8, 'PBES2 AES-256-CBC written by OpenSSL');

  const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(forge.pki.privateKeyFromPem(pkcs8)));
  for (const algorithm of ['aes256', '3des'] as const) {
    const byForge = forge.pki.encryptedPrivateKeyToPem(forge.pki.encryptPrivateKeyInfo(info, 'hsm export 2', { algorithm }));
    t.equal(decryptPkcs8Pem(byForge, 'hsm export 2'), pkcs8, `${algorithm} written by node-forge`);
  }
});

t.test('an encrypted PKCS#8 key with the wrong password fails with reason unreadable', async (t) => {
  const encrypted = createPrivateKey(pkcs8).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right' }).toString();
  t.throws(() => decryptPkcs8Pem(encrypted, 'wrong'), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'unreadable' } });
});

t.test('a PEM with the wrong label fails with reason pem, whichever way', async (t) => {
  t.throws(() => pkcs1ToPkcs8Pem(pkcs8), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'pem' } });
  t.throws(() => pkcs8ToPkcs1Pem(pkcs1), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'pem' } });
  t.throws(() => decryptPkcs8Pem(pkcs8, 'x'), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'pem' } });
  t.throws(() => pkcs1ToPkcs8Pem(key.publicKeyPem), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'pem' } });
});

t.test('a legacy OpenSSL-encrypted PKCS#1 PEM fails with reason encrypted-pem', async (t) => {
  const legacy = createPrivateKey(pkcs8).export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'p' }).toString();
  t.match(legacy, /Proc-Type: 4,ENCRYPTED/);
  t.throws(() => pkcs1ToPkcs8Pem(legacy), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'encrypted-pem' } });
});

t.test('a PKCS#8 key that is not RSA cannot become PKCS#1: reason not-rsa', async (t) => {
  const ec = fixtureKey('encodings-ec', 'ec-p256');
  t.throws(() => pkcs8ToPkcs1Pem(ec.privateKeyPem), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'not-rsa' } });
});

t.test('garbage fails with STW_MANIFEST_KEY_ENCODING and keeps the cause, never a crash', async (t) => {
  const randomBody = '-----BEGIN RSA PRIVATE KEY-----\nAAECAwQFBgcICQoLDA0ODw==\n-----END RSA PRIVATE KEY-----\n';
  t.throws(() => pkcs1ToPkcs8Pem(randomBody), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'unreadable' } });
  try {
    pkcs1ToPkcs8Pem(randomBody);
  } catch (error) {
    t.ok((error as Error).cause instanceof Error, 'the node:crypto error is the cause');
  }
  for (const input of ['', 'not a key', pkcs1 + pkcs1, 42 as unknown as string]) {
    t.throws(() => pkcs1ToPkcs8Pem(input), { code: 'STW_MANIFEST_KEY_ENCODING', details: { reason: 'pem' } });
  }
});
