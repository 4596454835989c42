// Interoperability with @tufjs/models (the models under tuf-js and sigstore-js), both ways.
import t from 'tap';
import { createHash, sign as nodeSign, constants, createPrivateKey } from 'node:crypto';
import * as tufjs from '@tufjs/models';
import { canonicalize } from '@tufjs/canonical-json';
import type { PublicKey} from '../../manifests/index.js';
import { canonicalBytes, canonicalString, generateKeyPair, Metadata, countSignatures, type RoleType } from '../../manifests/index.js';
import { buildRoot, buildSnapshot, buildTargets, buildTimestamp, rsaKey, signed } from '../helpers/manifest-builders.js';

const root1 = generateKeyPair('ed25519');
const root2 = rsaKey();
const online = generateKeyPair('ed25519');
const vendor = generateKeyPair('ed25519');
const firmware = Buffer.from('firmware image bytes');

t.test('metadata written and signed by manifests/ verifies in @tufjs/models', async (t) => {
  const onlineRole = { keys: [online.publicKey], threshold: 1 };
  const ourRoot = await signed(buildRoot({ roleKeys: { root: { keys: [root1.publicKey, root2.publicKey], threshold: 2 }, targets: onlineRole, snapshot: onlineRole, timestamp: onlineRole } }), root1, root2);
  const ourTargets = await signed(buildTargets({ delegations: { keys: [vendor.publicKey], roles: [{ name: 'acme', keys: [vendor.publicKey], terminating: true }] } }), online);
  const ourVendor = await signed(buildTargets({ files: { 'acme/fw-1.0.0.bin': firmware } }), vendor);
  const ourSnapshot = await signed(buildSnapshot(1, { 'targets.json': 1, 'acme.json': 1 }), online);
  const ourTimestamp = await signed(buildTimestamp(1, 1), online);

  const asTuf = <K extends tufjs.MetadataKind>(kind: K, metadata: Metadata) => tufjs.Metadata.fromJSON(kind as never, JSON.parse(metadata.toBytes().toString()));
  const tufRoot = asTuf(tufjs.MetadataKind.Root, ourRoot) as unknown as tufjs.Metadata<tufjs.Root>;
  const tufTargets = asTuf(tufjs.MetadataKind.Targets, ourTargets) as unknown as tufjs.Metadata<tufjs.Targets>;
  t.doesNotThrow(() => tufRoot.verifyDelegate('root', tufRoot), 'root, threshold 2 with ed25519 + rsa');
  t.doesNotThrow(() => tufRoot.verifyDelegate('targets', tufTargets));
  t.doesNotThrow(() => tufRoot.verifyDelegate('snapshot', asTuf(tufjs.MetadataKind.Snapshot, ourSnapshot)));
  t.doesNotThrow(() => tufRoot.verifyDelegate('timestamp', asTuf(tufjs.MetadataKind.Timestamp, ourTimestamp)));
  t.doesNotThrow(() => tufTargets.verifyDelegate('acme', asTuf(tufjs.MetadataKind.Targets, ourVendor)));

  // canonical bytes agree
  for (const [kind, metadata] of [['root', ourRoot], ['targets', ourTargets], ['snapshot', ourSnapshot], ['timestamp', ourTimestamp]] as [tufjs.MetadataKind, Metadata][]) {
    const theirs = asTuf(kind, metadata);
    t.equal(canonicalize(theirs.signed.toJSON()), metadata.signedBytes().toString(), `${kind}: canonical signed bytes agree`);
    t.equal(canonicalize(theirs.toJSON()), canonicalString(metadata.toJSON()), `${kind}: canonical envelope agrees`);
  }
  // a tampered document fails there too
  const tampered = JSON.parse(ourVendor.toBytes().toString());
  tampered.signed.targets['acme/fw-1.0.0.bin'].length += 1;
  t.throws(() => tufTargets.verifyDelegate('acme', tufjs.Metadata.fromJSON(tufjs.MetadataKind.Targets, tampered)));
});

t.test('metadata written by @tufjs/models verifies and round-trips in manifests/', async (t) => {
  const keyJson = (pair: { publicKey: PublicKey }) => pair.publicKey.toJSON() as Record<string, never>;
  const tufKey = (pair: { publicKey: PublicKey }) => {
    // the key ID as any TUF implementation computes it: SHA-256 of the canonical key
    const keyID = createHash('sha256').update(canonicalize(keyJson(pair))).digest('hex');
    return tufjs.Key.fromJSON(keyID, keyJson(pair));
  };
  const keys = [root1, root2, online].map(tufKey);
  const [kRoot1, kRoot2, kOnline] = keys as [tufjs.Key, tufjs.Key, tufjs.Key];
  t.equal(kRoot1.keyID, root1.publicKey.keyId(), 'ed25519 key IDs agree');
  t.equal(kRoot2.keyID, root2.publicKey.keyId(), 'rsa key IDs agree');

  const root = new tufjs.Root({
    version: 1,
    specVersion: '1.0.31',
    expires: '2099-01-01T00:00:00Z',
    consistentSnapshot: true,
    unrecognizedFields: { x_vendor_note: 'kept' },
  });
  root.addKey(kRoot1, 'root');
  root.addKey(kRoot2, 'root');
  for (const role of ['targets', 'snapshot', 'timestamp']) root.addKey(kOnline, role);
  (root.roles['root'] as { threshold: number }).threshold = 2;
  const tufMetadata = new tufjs.Metadata(root);
  const signWith = (pair: typeof root1 | typeof root2, keyID: string) => (data: Buffer) => {
    const key = createPrivateKey(pair.privateKeyPem);
    const sig = pair.publicKey.keyType === 'rsa'
      ? nodeSign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST })
      : nodeSign(null, data, key);
    return new tufjs.Signature({ keyID, sig: sig.toString('hex') });
  };
  tufMetadata.sign(signWith(root1, kRoot1.keyID));
  tufMetadata.sign(signWith(root2, kRoot2.keyID));

  const theirJson = tufMetadata.toJSON();
  const ours = Metadata.fromJSON('root', theirJson);
  t.equal(canonicalString(ours.toJSON()), canonicalize(theirJson), 'round-trips byte-identically');
  t.equal(ours.signed.unrecognised['x_vendor_note'], 'kept');
  const result = countSignatures(ours, ours.signed.authority('root'));
  t.ok(result.met, 'threshold 2 met');
  t.same([...result.validKeyIds].sort(), [kRoot1.keyID, kRoot2.keyID].sort());

  // the other roles, written by @tufjs/models
  const others: [RoleType, tufjs.Metadata<tufjs.Targets | tufjs.Snapshot | tufjs.Timestamp>][] = [
    ['targets', new tufjs.Metadata(new tufjs.Targets({ version: 1, specVersion: '1.0.31', expires: '2099-01-01T00:00:00Z', targets: { 'a/b.bin': new tufjs.TargetFile({ path: 'a/b.bin', length: firmware.length, hashes: { sha256: createHash('sha256').update(firmware).digest('hex') }, unrecognizedFields: { custom: { version: '1.0.0' } } }) } }))],
    ['snapshot', new tufjs.Metadata(new tufjs.Snapshot({ version: 1, specVersion: '1.0.31', expires: '2099-01-01T00:00:00Z', meta: { 'targets.json': new tufjs.MetaFile({ version: 1, length: 10, hashes: { sha256: 'ab'.repeat(32) } }) } }))],
    ['timestamp', new tufjs.Metadata(new tufjs.Timestamp({ version: 1, specVersion: '1.0.31', expires: '2099-01-01T00:00:00Z', snapshotMeta: new tufjs.MetaFile({ version: 1 }) }))],
  ];
  for (const [type, metadata] of others) {
    metadata.sign(signWith(online, kOnline.keyID));
    const parsed = Metadata.fromJSON(type, metadata.toJSON());
    t.equal(canonicalString(parsed.toJSON()), canonicalize(metadata.toJSON()), `${type} round-trips`);
    t.ok(countSignatures(parsed, ours.signed.authority(type as 'targets')).met, `${type} verifies`);
    t.equal(parsed.signedBytes().toString(), canonicalize(metadata.signed.toJSON()), `${type} canonical bytes agree`);
  }
  const targets = Metadata.fromJSON('targets', others[0]![1].toJSON());
  t.same(targets.signed.targets.get('a/b.bin')?.custom, { version: '1.0.0' });
  t.equal(canonicalBytes(targets.signed.toJSON()).toString(), canonicalize(others[0]![1].signed.toJSON()));
});
