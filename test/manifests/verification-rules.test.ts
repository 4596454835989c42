import t from 'tap';
import type {
  PublicKey} from '../../manifests/index.js';
import {
  assertNoRollback,
  assertNotExpired,
  assertPinnedVersion,
  countSignatures,
  generateKeyPair,
  loadTrustedRoot,
  Metadata,
  Signature,
  verifyRootSuccessor,
  verifyThreshold,
  type GeneratedKeyPair,
} from '../../manifests/index.js';
import { buildRoot, buildSnapshot, NOW, rsaKey, signed } from '../helpers/manifest-builders.js';

const k1 = generateKeyPair('ed25519');
const k2 = generateKeyPair('ed25519');
const k3 = generateKeyPair('ed25519');
const outsider = generateKeyPair('ed25519');

function authority(threshold: number, ...pairs: GeneratedKeyPair[]) {
  return { threshold, keys: new Map(pairs.map((pair) => [pair.publicKey.keyId(), pair.publicKey])) };
}

function withSignatures(metadata: Metadata, signatures: Signature[]): Metadata {
  return new Metadata(metadata.signed, signatures);
}

t.test('threshold verification, rule by rule', async (t) => {
  const snapshot = buildSnapshot(1, { 'targets.json': 1 });
  const byK1 = await signed(snapshot, k1);
  const sigK1 = byK1.signatures[0] as Signature;
  const byK2 = await signed(snapshot, k2);
  const sigK2 = byK2.signatures[0] as Signature;
  const otherContent = await signed(buildSnapshot(2, { 'targets.json': 1 }), k2);
  const sigK2OverOther = otherContent.signatures[0] as Signature;
  // the same key material listed under a second key ID
  const aliasId = 'alias-of-k1';
  const aliased = { threshold: 2, keys: new Map<string, PublicKey>([[k1.publicKey.keyId(), k1.publicKey], [aliasId, k1.publicKey]]) };

  const cases: { name: string; metadata: Metadata; authority: { threshold: number; keys: Map<string, PublicKey> }; met: boolean; count: number }[] = [
    { name: 'one valid signature meets threshold 1', metadata: byK1, authority: authority(1, k1), met: true, count: 1 },
    { name: 'no signatures', metadata: withSignatures(byK1, []), authority: authority(1, k1), met: false, count: 0 },
    { name: 'duplicate signatures by one key count once', metadata: withSignatures(byK1, [sigK1, sigK1, sigK1]), authority: authority(2, k1, k2), met: false, count: 1 },
    { name: 'a threshold met only by counting one key twice (listed under two IDs)', metadata: withSignatures(byK1, [sigK1, new Signature({ keyId: aliasId, sig: sigK1.sig })]), authority: aliased, met: false, count: 1 },
    { name: 'signatures by unknown keys are ignored', metadata: await signed(snapshot, outsider, k1), authority: authority(1, k1), met: true, count: 1 },
    { name: 'only an unknown key signed', metadata: await signed(snapshot, outsider), authority: authority(1, k1), met: false, count: 0 },
    { name: 'a malformed signature is ignored, not thrown', metadata: withSignatures(byK1, [new Signature({ keyId: k2.publicKey.keyId(), sig: 'not-hex!' }), sigK1]), authority: authority(1, k1, k2), met: true, count: 1 },
    { name: 'a signature over other content does not count', metadata: withSignatures(byK1, [sigK1, new Signature({ keyId: k2.publicKey.keyId(), sig: sigK2OverOther.sig })]), authority: authority(2, k1, k2), met: false, count: 1 },
    { name: 'a valid signature under the wrong key ID does not count', metadata: withSignatures(byK1, [new Signature({ keyId: k3.publicKey.keyId(), sig: sigK2.sig })]), authority: authority(1, k3), met: false, count: 0 },
    { name: 'two distinct keys meet threshold 2', metadata: withSignatures(byK1, [sigK1, sigK2]), authority: authority(2, k1, k2), met: true, count: 2 },
    { name: 'ed25519 and rsa together meet threshold 2', metadata: await signed(snapshot, k1, rsaKey()), authority: authority(2, k1, rsaKey()), met: true, count: 2 },
    { name: 'two of three keys do not meet threshold 3', metadata: withSignatures(byK1, [sigK1, sigK2]), authority: authority(3, k1, k2, k3), met: false, count: 2 },
  ];
  for (const c of cases) {
    const result = countSignatures(c.metadata, c.authority);
    t.equal(result.met, c.met, c.name);
    t.equal(result.validKeyIds.length, c.count, `${c.name} (count)`);
    if (c.met) t.doesNotThrow(() => verifyThreshold(c.metadata, c.authority, 'snapshot'), c.name);
    else t.throws(() => verifyThreshold(c.metadata, c.authority, 'snapshot'), { code: 'STW_MANIFEST_THRESHOLD_NOT_MET' }, c.name);
  }
});

t.test('a signature is over the canonical bytes: re-ordering keys does not break it, changing a value does', async (t) => {
  const metadata = await signed(buildSnapshot(4, { 'targets.json': 2, 'acme.json': 1 }), k1);
  const json = metadata.toJSON() as { signed: { meta: Record<string, unknown> } };
  const reordered = { signatures: metadata.toJSON()['signatures'], signed: Object.fromEntries(Object.entries(json.signed).reverse()) };
  t.ok(countSignatures(Metadata.fromJSON('snapshot', reordered), authority(1, k1)).met);
  const changed = structuredClone(json) as unknown as { signed: { version: number } };
  changed.signed.version = 5;
  t.notOk(countSignatures(Metadata.fromJSON('snapshot', changed), authority(1, k1)).met);
});

t.test('expiry is checked against the injected clock (expired when expires <= now)', async (t) => {
  t.throws(() => assertNotExpired({ specVersion: '1.0.31', version: 1, expires: '2026-11-27T12:00:00Z' }, NOW, 'timestamp'), { code: 'STW_MANIFEST_EXPIRED' });
  t.throws(() => assertNotExpired({ specVersion: '1.0.31', version: 1, expires: '2020-01-01T00:00:00Z' }, NOW, 'timestamp'), { code: 'STW_MANIFEST_EXPIRED' });
  t.doesNotThrow(() => assertNotExpired({ specVersion: '1.0.31', version: 1, expires: '2026-11-27T12:00:01Z' }, NOW, 'timestamp'));
});

t.test('version rules', async (t) => {
  t.throws(() => assertNoRollback(5, 4, 'snapshot'), { code: 'STW_MANIFEST_VERSION_ROLLBACK' });
  t.doesNotThrow(() => assertNoRollback(5, 5, 'snapshot'));
  t.doesNotThrow(() => assertNoRollback(5, 9, 'snapshot'));
  t.throws(() => assertPinnedVersion(3, 4, 'targets'), { code: 'STW_MANIFEST_VERSION_MISMATCH' });
  t.doesNotThrow(() => assertPinnedVersion(3, 3, 'targets'));
});

t.test('root rotation needs both the old and the new root keys, and version + 1', async (t) => {
  const online = { keys: [k3.publicKey], threshold: 1 };
  const v1 = buildRoot({ version: 1, roleKeys: { root: { keys: [k1.publicKey], threshold: 1 }, targets: online, snapshot: online, timestamp: online } });
  const rotated = (version: number) => buildRoot({ version, roleKeys: { root: { keys: [k2.publicKey], threshold: 1 }, targets: online, snapshot: online, timestamp: online } });
  const good = await signed(rotated(2), k1, k2);
  const newKeysOnly = await signed(rotated(2), k2);
  const oldKeysOnly = await signed(rotated(2), k1);
  const skipsAVersion = await signed(rotated(3), k1, k2);
  const sameVersion = await signed(rotated(1), k1, k2);
  t.doesNotThrow(() => verifyRootSuccessor(v1, good));
  t.throws(() => verifyRootSuccessor(v1, newKeysOnly), { code: 'STW_MANIFEST_THRESHOLD_NOT_MET' }, 'new keys only');
  t.throws(() => verifyRootSuccessor(v1, oldKeysOnly), { code: 'STW_MANIFEST_THRESHOLD_NOT_MET' }, 'old keys only');
  t.throws(() => verifyRootSuccessor(v1, skipsAVersion), { code: 'STW_MANIFEST_VERSION_MISMATCH' }, 'skips a version');
  t.throws(() => verifyRootSuccessor(v1, sameVersion), { code: 'STW_MANIFEST_VERSION_ROLLBACK' }, 'same version');
});

t.test('a trusted root must be signed by a threshold of its own root keys', async (t) => {
  const online = { keys: [k3.publicKey], threshold: 1 };
  const root = buildRoot({ roleKeys: { root: { keys: [k1.publicKey, k2.publicKey], threshold: 2 }, targets: online, snapshot: online, timestamp: online } });
  t.equal(loadTrustedRoot((await signed(root, k1, k2)).toBytes()).signed.version, 1);
  t.throws(() => loadTrustedRoot((unsignedBytes(root))), { code: 'STW_MANIFEST_THRESHOLD_NOT_MET' });
  t.throws(() => loadTrustedRoot(Buffer.from('{')), { code: 'STW_MANIFEST_MALFORMED_JSON' });
});

function unsignedBytes(root: ReturnType<typeof buildRoot>): Buffer {
  return Metadata.create(root).toBytes();
}
