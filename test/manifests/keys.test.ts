import t from 'tap';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { canonicalBytes, generateKeyPair, KeyObjectSigner, PublicKey } from '../../manifests/index.js';
import { rsaKey } from '../helpers/manifest-builders.js';

const data = Buffer.from('payload to sign');

t.test('ed25519 keys use the hex raw public key and sign with scheme ed25519', async (t) => {
  const { publicKey, signer } = generateKeyPair('ed25519');
  t.equal(publicKey.keyType, 'ed25519');
  t.equal(publicKey.scheme, 'ed25519');
  t.match(publicKey.publicValue, /^[0-9a-f]{64}$/);
  const signature = await signer.sign(data);
  t.ok(publicKey.verify(data, signature));
  t.notOk(publicKey.verify(Buffer.from('other payload'), signature));
});

t.test('rsa keys use an SPKI PEM and scheme rsassa-pss-sha256', async (t) => {
  const { publicKey, signer } = rsaKey();
  t.equal(publicKey.keyType, 'rsa');
  t.equal(publicKey.scheme, 'rsassa-pss-sha256');
  t.match(publicKey.publicValue, /^-----BEGIN PUBLIC KEY-----/);
  const signature = await signer.sign(data);
  t.ok(publicKey.verify(data, signature));
  t.notOk(publicKey.verify(Buffer.from('x'), signature));
});

t.test('the key ID is the SHA-256 of the key in canonical JSON (TUF 4.2)', async (t) => {
  const { publicKey } = generateKeyPair('ed25519');
  const expected = createHash('sha256').update(canonicalBytes(publicKey.toJSON())).digest('hex');
  t.equal(publicKey.keyId(), expected);
  const reparsed = PublicKey.fromJSON(JSON.parse(JSON.stringify(publicKey.toJSON())));
  t.equal(reparsed.keyId(), expected, 'stable across a JSON round trip');
});

t.test('the node:crypto key object is built once and reused', async (t) => {
  const { publicKey } = generateKeyPair('ed25519');
  t.equal(publicKey.keyObject(), publicKey.keyObject());
});

t.test('malformed signatures never verify and never throw', async (t) => {
  const { publicKey, signer } = generateKeyPair('ed25519');
  const good = await signer.sign(data);
  const rsa = rsaKey();
  const cases: Record<string, string> = {
    empty: '',
    'odd length': good.slice(1),
    'not hex': 'zz' + good.slice(2),
    truncated: good.slice(0, 64),
    'too long': good + '00',
    'uppercase flipped bit': (good[0] === 'a' ? 'b' : 'a') + good.slice(1),
  };
  for (const [name, sig] of Object.entries(cases)) t.equal(publicKey.verify(data, sig), false, name);
  t.equal(rsa.publicKey.verify(data, 'abcd'), false, 'short RSA signature');
});

t.test('keys of unsupported types round-trip but verify nothing', async (t) => {
  const json = { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: { public: '-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----' }, keyid_hash_algorithms: ['sha256'] };
  const key = PublicKey.fromJSON(json);
  t.same(key.toJSON(), json);
  t.equal(key.isSupported(), false);
  t.equal(key.verify(data, 'aa'), false);
  const mismatched = PublicKey.fromJSON({ keytype: 'ed25519', scheme: 'rsassa-pss-sha256', keyval: { public: 'ab'.repeat(32) } });
  t.equal(mismatched.isSupported(), false, 'key type and scheme must agree');
});

t.test('a key missing its public value is invalid', async (t) => {
  t.throws(() => PublicKey.fromJSON({ keytype: 'ed25519', scheme: 'ed25519', keyval: {} }), { code: 'STW_MANIFEST_INVALID' });
  t.throws(() => PublicKey.fromJSON('nope'), { code: 'STW_MANIFEST_INVALID' });
});

t.test('signers load PKCS#8 and PKCS#1 PEM, and report bad PEM with a code', async (t) => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs1 = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
  const signer = KeyObjectSigner.fromPem(pkcs1);
  t.ok(signer.publicKey.verify(data, await signer.sign(data)));
  t.throws(() => KeyObjectSigner.fromPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'), { code: 'STW_MANIFEST_KEY_ENCODING' });
  t.throws(() => new KeyObjectSigner(generateKeyPairSync('ed25519').publicKey), { code: 'STW_MANIFEST_SIGNING_FAILED' });
});
