import t from 'tap';
import { canonicalString, generateKeyPair, Metadata, verifyThreshold, type GeneratedKeyPair } from '../../manifests/index.js';
import { splitCanonicalEnvelope } from '../../manifests/json/signed-envelope.js';
import { buildRoot, buildSnapshot, rsaKey, signed } from '../helpers/manifest-builders.js';

const k1 = generateKeyPair('ed25519');

function authority(...pairs: GeneratedKeyPair[]) {
  return { threshold: 1, keys: new Map(pairs.map((pair) => [pair.publicKey.keyId(), pair.publicKey])) };
}

/** Replace the first occurrence of `from` in the document's text. */
function edit(bytes: Buffer, from: string, to: string): Buffer {
  const text = bytes.toString('utf8');
  if (!text.includes(from)) throw new Error(`${from} not in document`);
  return Buffer.from(text.replace(from, to), 'utf8');
}

t.test('a role is written in canonical form, and read back with its signed bytes as received', async (t) => {
  const snapshot = await signed(buildSnapshot(4, { 'targets.json': 2 }), k1);
  const bytes = snapshot.toBytes();
  t.equal(bytes.toString('utf8'), canonicalString(snapshot.toJSON()), 'the envelope is canonical JSON');
  const read = Metadata.fromBytes('snapshot', bytes);
  t.same(read.receivedSignedBytes(), read.signedBytes(), 'the received bytes are the canonical bytes');
  t.equal(verifyThreshold(read, authority(k1), 'snapshot').met, true);
  t.equal(read.signed.version, 4);
});

t.test('a role holding control characters (an RSA PEM) is written as plain JSON and still verifies', async (t) => {
  const rsa = rsaKey();
  const root = await signed(buildRoot({ roleKeys: { root: { keys: [rsa.publicKey], threshold: 1 }, targets: { keys: [k1.publicKey], threshold: 1 }, snapshot: { keys: [k1.publicKey], threshold: 1 }, timestamp: { keys: [k1.publicKey], threshold: 1 } } }), rsa);
  const bytes = root.toBytes();
  t.doesNotThrow(() => JSON.parse(bytes.toString('utf8')), 'strict JSON');
  const read = Metadata.fromBytes('root', bytes);
  t.not(read.receivedSignedBytes()?.toString(), read.signedBytes().toString(), 'received bytes are not the canonical form here');
  t.equal(verifyThreshold(read, read.signed.authority('root'), 'root').met, true, 'checked over the canonical form instead');
});

t.test('a byte changed in signed fails both ways', async (t) => {
  const bytes = (await signed(buildSnapshot(4, { 'targets.json': 2 }), k1)).toBytes();
  const tampered = Metadata.fromBytes('snapshot', edit(bytes, '"version":4', '"version":5'));
  t.equal(tampered.signed.version, 5);
  t.throws(() => verifyThreshold(tampered, authority(k1), 'snapshot'), { code: 'STW_MANIFEST_THRESHOLD_NOT_MET' });
});

t.test('the same role re-serialised in another layout verifies over its canonical form', async (t) => {
  const original = await signed(buildSnapshot(4, { 'targets.json': 2 }), k1);
  const pretty = Buffer.from(JSON.stringify(JSON.parse(original.toBytes().toString('utf8')), null, 2), 'utf8');
  const read = Metadata.fromBytes('snapshot', pretty);
  t.equal(read.receivedSignedBytes(), undefined, 'not canonical in shape');
  t.equal(verifyThreshold(read, authority(k1), 'snapshot').met, true);
  const reordered = edit(original.toBytes(), '"_type":"snapshot",', '');
  const moved = Buffer.from(reordered.toString('utf8').replace(/}}$/, ',"_type":"snapshot"}}'), 'utf8');
  const readMoved = Metadata.fromBytes('snapshot', moved);
  t.not(readMoved.receivedSignedBytes(), undefined, 'canonical in shape, keys out of order');
  t.equal(verifyThreshold(readMoved, authority(k1), 'snapshot').met, true, 'falls back to the canonical form');
});

t.test('the separator inside a string does not confuse the reader', async (t) => {
  const original = await signed(buildSnapshot(4, { 'targets.json': 2 }), k1);
  const value = JSON.parse(original.toBytes().toString('utf8')) as { signatures: object[]; signed: object };
  value.signatures.unshift({ keyid: 'x],"signed":{"_type":"snapshot"', sig: '00' });
  const bytes = Buffer.from(canonicalString(value), 'utf8');
  t.not(splitCanonicalEnvelope(bytes), undefined, 'the split finds the crafted separator first');
  const read = Metadata.fromBytes('snapshot', bytes);
  t.equal(read.signed.version, 4, 'the role is the real one');
  t.equal(read.signatures.length, 2);
  t.equal(verifyThreshold(read, authority(k1), 'snapshot').met, true);
});

t.test('a second "signed" after the first is not hidden from the reader', async (t) => {
  const good = (await signed(buildSnapshot(4, { 'targets.json': 2 }), k1)).toBytes().toString('utf8');
  const other = (await signed(buildSnapshot(9, { 'targets.json': 2 }), generateKeyPair('ed25519'))).toBytes().toString('utf8');
  const otherSigned = other.slice(other.indexOf(',"signed":') + ',"signed":'.length, -1);
  const doubled = Buffer.from(`${good.slice(0, -1)},"signed":${otherSigned}}`, 'utf8');
  const read = Metadata.fromBytes('snapshot', doubled);
  t.equal(read.signed.version, 9, 'read as JSON.parse reads it: the last key wins');
  t.throws(() => verifyThreshold(read, authority(k1), 'snapshot'), { code: 'STW_MANIFEST_THRESHOLD_NOT_MET' }, 'and k1 did not sign that');
});

t.test('limits apply to a canonical envelope too', async (t) => {
  const bytes = (await signed(buildSnapshot(4, { 'targets.json': 2 }), k1)).toBytes();
  t.throws(() => Metadata.fromBytes('snapshot', bytes, { maxBytes: bytes.byteLength - 1 }), { code: 'STW_MANIFEST_MALFORMED_JSON' });
  t.throws(() => Metadata.fromBytes('snapshot', bytes, { maxDepth: 2 }), { code: 'STW_MANIFEST_MALFORMED_JSON' });
});
