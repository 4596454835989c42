import t from 'tap';
import { constants, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { signChallenge, verifyChallengeSignature } from '../../../manifests/x509/index.js';
import { fixtureKey } from '../../helpers/x509-fixtures.js';

const key = fixtureKey('challenge-device');
const challenge = new Uint8Array(Buffer.from('3a7c0e9b5d2f41e8a6c3b0d9e7f1a2c4', 'hex'));

t.test('a challenge signed by the terminal verifies with its public key', async (t) => {
  const signature = signChallenge(key.privateKeyPem, challenge);
  t.equal(signature.length, 256, 'RSA-2048 signature');
  t.equal(verifyChallengeSignature({ publicKeyPem: key.publicKeyPem, challenge, signature }), true);
});

t.test('the signature is RSASSA-PSS SHA-256 with a 32-byte salt, so it differs on every call', async (t) => {
  const first = signChallenge(key.privateKeyPem, challenge);
  const second = signChallenge(key.privateKeyPem, challenge);
  t.not(Buffer.from(first).toString('hex'), Buffer.from(second).toString('hex'));
  const bySpec = sign('sha256', challenge, { key: key.privateKeyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  t.ok(verifyChallengeSignature({ publicKeyPem: key.publicKeyPem, challenge, signature: bySpec }));
});

t.test('a PKCS#1 v1.5 signature of the same challenge is not accepted', async (t) => {
  const v15 = sign('sha256', challenge, key.privateKeyPem);
  t.equal(verifyChallengeSignature({ publicKeyPem: key.publicKeyPem, challenge, signature: v15 }), false);
});

t.test('a PSS signature with another salt length is not accepted', async (t) => {
  const shortSalt = sign('sha256', challenge, { key: key.privateKeyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
  t.equal(verifyChallengeSignature({ publicKeyPem: key.publicKeyPem, challenge, signature: shortSalt }), false);
});

t.test('a signature over another challenge, by another key, or truncated does not verify', async (t) => {
  const signature = signChallenge(key.privateKeyPem, challenge);
  const other = fixtureKey('challenge-other');
  t.equal(verifyChallengeSignature({ publicKeyPem: key.publicKeyPem, challenge: challenge.subarray(1), signature }), false);
  t.equal(verifyChallengeSignature({ publicKeyPem: other.publicKeyPem, challenge, signature }), false);
  t.equal(verifyChallengeSignature({ publicKeyPem: key.publicKeyPem, challenge, signature: signature.subarray(0, 100) }), false);
  t.equal(verifyChallengeSignature({ publicKeyPem: key.publicKeyPem, challenge, signature: new Uint8Array() }), false);
});

t.test('a PKCS#1 private key PEM signs too', async (t) => {
  const pkcs1 = createPrivateKey(key.privateKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
  const signature = signChallenge(pkcs1, challenge);
  t.ok(verifyChallengeSignature({ publicKeyPem: key.publicKeyPem, challenge, signature }));
});

t.test('signing with an unreadable or non-RSA key fails with STW_MANIFEST_SIGNING_FAILED', async (t) => {
  const ec = fixtureKey('challenge-ec', 'ec-p256');
  t.throws(() => signChallenge('not a key', challenge), { code: 'STW_MANIFEST_SIGNING_FAILED' });
  t.throws(() => signChallenge(ec.privateKeyPem, challenge), { code: 'STW_MANIFEST_SIGNING_FAILED' });
});

t.test('verifying with an unreadable key fails with STW_MANIFEST_KEY_ENCODING', async (t) => {
  const signature = signChallenge(key.privateKeyPem, challenge);
  t.throws(() => verifyChallengeSignature({ publicKeyPem: 'garbage', challenge, signature }), {
    code: 'STW_MANIFEST_KEY_ENCODING',
    details: { reason: 'unreadable' },
  });
});

t.test('verifying with a non-RSA or short RSA key fails with STW_MANIFEST_UNSUPPORTED_KEY', async (t) => {
  const signature = signChallenge(key.privateKeyPem, challenge);
  const ec = fixtureKey('challenge-ec', 'ec-p256');
  const weak = createPublicKey(fixtureKey('challenge-weak', 'rsa-1024').privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  for (const publicKeyPem of [ec.publicKeyPem, weak]) {
    t.throws(() => verifyChallengeSignature({ publicKeyPem, challenge, signature }), { code: 'STW_MANIFEST_UNSUPPORTED_KEY' });
  }
});
