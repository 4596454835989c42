import t, { type Test } from 'tap';
import { computeHashes, DirectorTargets, generateKeyPair, Metadata, Targets, type GeneratedKeyPair } from '../../../manifests/index.js';
import { DirectorStore, DirectorVerifier } from '../../../device-sdk/director/index.js';
import { DeviceError } from '../../../device-sdk/errors.js';
import { buildRoot, signed } from '../../helpers/manifest-builders.js';

const NOW = new Date('2026-11-28T12:00:00Z');
const LATER = '2026-11-29T12:00:00Z';
const FIRMWARE = Buffer.from('firmware 2.0.0');

function directorRoot(rootKey: GeneratedKeyPair, targetsKeys: GeneratedKeyPair[], threshold: number, version = 1) {
  const one = { keys: [rootKey.publicKey], threshold: 1 };
  return buildRoot({ version, roleKeys: { root: one, targets: { keys: targetsKeys.map((k) => k.publicKey), threshold }, snapshot: one, timestamp: one } });
}

async function director(options: { threshold?: number } = {}) {
  const rootKey = generateKeyPair('ed25519');
  const targetsKeys = [generateKeyPair('ed25519'), generateKeyPair('ed25519')];
  const root = await signed(directorRoot(rootKey, targetsKeys, options.threshold ?? 1), rootKey);
  return { root, rootKey, targetsKeys };
}

function document(options: { version?: number; deviceId?: string; expires?: string; pollIntervalSeconds?: number } = {}) {
  return DirectorTargets.build({
    version: options.version ?? 1,
    expires: options.expires ?? LATER,
    instructions: { deviceId: options.deviceId ?? 'dev_1', pollIntervalSeconds: options.pollIntervalSeconds ?? 300, installWindow: undefined, correlationId: undefined },
    images: [{ name: 'acme/fw-2.0.0.bin', length: FIRMWARE.length, hashes: computeHashes(FIRMWARE), hardwareId: 't100', component: 'firmware', version: '2.0.0', rolloutId: 'rol_1' }],
  });
}

async function signedBytes(signers: GeneratedKeyPair[], options: Parameters<typeof document>[0] = {}): Promise<Buffer> {
  return (await Metadata.create(document(options)).signAll(signers.map((s) => s.signer))).toBytes();
}

async function setup(t: Test, threshold = 1, fetchRoot?: (version: number) => Promise<Uint8Array | undefined>) {
  const { root, rootKey, targetsKeys } = await director({ threshold });
  const store = new DirectorStore(t.testdir({}));
  let now = NOW;
  const verifier = new DirectorVerifier({ root, deviceId: 'dev_1', store, now: () => now, ...(fetchRoot ? { fetchRoot } : {}) });
  return { root, rootKey, targetsKeys, store, verifier, setNow: (date: Date) => (now = date) };
}

function reasonOf(error: unknown): unknown {
  return error instanceof DeviceError ? { code: error.code, reason: error.details?.reason } : error;
}

t.test('a document signed by the director for this device is accepted and its instructions read', async (t) => {
  const { verifier, targetsKeys } = await setup(t);
  const accepted = await verifier.verify(await signedBytes([targetsKeys[0]!]));
  t.equal(accepted.version, 1);
  t.equal(accepted.changed, true);
  t.equal(accepted.director.instructions.deviceId, 'dev_1');
  t.match(accepted.director.images, [{ kind: 'image', component: 'firmware', version: '2.0.0', rolloutId: 'rol_1' }]);
  t.equal(await verifier.acceptedVersion(), 1, 'the accepted version is persisted');
});

t.test('the parsed JSON of a check-in answer verifies like the bytes', async (t) => {
  const { verifier, targetsKeys } = await setup(t);
  const bytes = await signedBytes([targetsKeys[0]!]);
  t.equal((await verifier.verify(JSON.parse(bytes.toString()))).version, 1);
});

t.test('when a document is for another device, it is refused', async (t) => {
  const { verifier, targetsKeys } = await setup(t);
  const error = await verifier.verify(await signedBytes([targetsKeys[0]!], { deviceId: 'dev_2' })).catch((e: unknown) => e);
  t.same(reasonOf(error), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'other-device' });
  t.equal(await verifier.acceptedVersion(), 0, 'nothing is remembered');
});

t.test('when a document has expired, it is refused (freeze)', async (t) => {
  const { verifier, targetsKeys } = await setup(t);
  const error = await verifier.verify(await signedBytes([targetsKeys[0]!], { expires: '2026-11-28T11:59:59Z' })).catch((e: unknown) => e);
  t.same(reasonOf(error), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'expired' });
});

t.test('when an older version is replayed, it is refused (rollback)', async (t) => {
  const { verifier, targetsKeys } = await setup(t);
  const old = await signedBytes([targetsKeys[0]!], { version: 4 });
  await verifier.verify(await signedBytes([targetsKeys[0]!], { version: 5 }));
  t.same(reasonOf(await verifier.verify(old).catch((e: unknown) => e)), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'rollback' });
});

t.test('the floor survives a restart: a new verifier on the same store refuses the older version', async (t) => {
  const { root, targetsKeys, store, verifier } = await setup(t);
  await verifier.verify(await signedBytes([targetsKeys[0]!], { version: 7 }));
  const restarted = new DirectorVerifier({ root, deviceId: 'dev_1', store, now: () => NOW });
  t.same(reasonOf(await restarted.verify(await signedBytes([targetsKeys[0]!], { version: 6 })).catch((e: unknown) => e)), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'rollback' });
  t.equal((await restarted.current())?.version, 7);
});

t.test('the same version is accepted again only when the document is identical', async (t) => {
  const { verifier, targetsKeys } = await setup(t);
  const bytes = await signedBytes([targetsKeys[0]!], { version: 3 });
  await verifier.verify(bytes);
  const again = await verifier.verify(bytes);
  t.equal(again.changed, false, 'identical: nothing new');
  const other = await signedBytes([targetsKeys[0]!], { version: 3, pollIntervalSeconds: 60 });
  t.same(reasonOf(await verifier.verify(other).catch((e: unknown) => e)), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'version-reused' });
});

t.test('when the signature is not by the director keys, or below the threshold, it is refused', async (t) => {
  const { verifier, targetsKeys } = await setup(t, 2);
  t.same(reasonOf(await verifier.verify(await signedBytes([generateKeyPair('ed25519')])).catch((e: unknown) => e)), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'signature' });
  t.same(reasonOf(await verifier.verify(await signedBytes([targetsKeys[0]!])).catch((e: unknown) => e)), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'signature' }, 'one of two');
  t.equal((await verifier.verify(await signedBytes(targetsKeys))).version, 1, 'two of two');
});

t.test('when the signed part was altered after signing, it is refused', async (t) => {
  const { verifier, targetsKeys } = await setup(t);
  const json = JSON.parse((await signedBytes([targetsKeys[0]!])).toString());
  json.signed.custom.device_id = 'dev_1';
  json.signed.targets['acme/fw-2.0.0.bin'].length += 1;
  t.same(reasonOf(await verifier.verify(json).catch((e: unknown) => e)), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'signature' });
});

t.test('when the bytes are not a targets document, or the director fields are bad, it is refused', async (t) => {
  const { verifier, targetsKeys } = await setup(t);
  t.same(reasonOf(await verifier.verify(Buffer.from('{"signed":')).catch((e: unknown) => e)), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'malformed' });
  const targets = document();
  const bad = new Targets({ specVersion: targets.specVersion, version: 1, expires: LATER, targets: targets.targets, unrecognised: { custom: { device_id: 'dev_1', poll_interval_seconds: 1 } } });
  const bytes = (await Metadata.create(bad).sign(targetsKeys[0]!.signer)).toBytes();
  t.same(reasonOf(await verifier.verify(bytes).catch((e: unknown) => e)), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'instructions' });
});

t.test('an accepted document stops being current once it expires', async (t) => {
  const { verifier, targetsKeys, setNow } = await setup(t);
  await verifier.verify(await signedBytes([targetsKeys[0]!]));
  t.equal((await verifier.current())?.version, 1);
  setNow(new Date('2026-11-30T00:00:00Z'));
  t.equal(await verifier.current(), undefined);
});

t.test('when the director root rotated to new keys, the terminal follows the root chain and accepts the new signatures', async (t) => {
  const roots = new Map<number, Uint8Array>();
  const fetched: number[] = [];
  const { verifier, rootKey, targetsKeys, store, root } = await setup(t, 1, async (version) => (fetched.push(version), roots.get(version)));
  await verifier.verify(await signedBytes([targetsKeys[0]!], { version: 1 }));
  const newKey = generateKeyPair('ed25519');
  roots.set(2, (await signed(directorRoot(rootKey, [newKey], 1, 2), rootKey)).toBytes());
  const accepted = await verifier.verify(await signedBytes([newKey], { version: 2 }));
  t.equal(accepted.version, 2);
  t.same(fetched, [2, 3], 'walked until no next root');
  t.equal(await verifier.rootVersion(), 2);

  const restarted = new DirectorVerifier({ root, deviceId: 'dev_1', store, now: () => NOW });
  t.equal(await restarted.rootVersion(), 2, 'the rotated root is persisted');
  t.same(reasonOf(await restarted.verify(await signedBytes([targetsKeys[0]!], { version: 3 })).catch((e: unknown) => e)), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'signature' }, 'the old key no longer signs');
});

t.test('a document accepted under the old keys stops being current once the root rotated away from them', async (t) => {
  const roots = new Map<number, Uint8Array>();
  const { verifier, rootKey, targetsKeys } = await setup(t, 1, async (version) => roots.get(version));
  await verifier.verify(await signedBytes([targetsKeys[0]!], { version: 1 }));
  const newKey = generateKeyPair('ed25519');
  roots.set(2, (await signed(directorRoot(rootKey, [newKey], 1, 2), rootKey)).toBytes());
  // a document by an unknown key makes the verifier look for a new root
  await verifier.verify(await signedBytes([generateKeyPair('ed25519')], { version: 2 })).catch(() => undefined);
  t.equal(await verifier.rootVersion(), 2);
  t.equal(await verifier.current(), undefined);
});

t.test('a next director root not signed by the trusted root keys is refused', async (t) => {
  const roots = new Map<number, Uint8Array>();
  const { verifier } = await setup(t, 1, async (version) => roots.get(version));
  const rogueRootKey = generateKeyPair('ed25519');
  const rogueTargets = generateKeyPair('ed25519');
  roots.set(2, (await signed(directorRoot(rogueRootKey, [rogueTargets], 1, 2), rogueRootKey)).toBytes());
  t.same(reasonOf(await verifier.verify(await signedBytes([rogueTargets])).catch((e: unknown) => e)), { code: 'STW_DEVICE_DIRECTOR_INVALID', reason: 'root-rotation' });
  t.equal(await verifier.rootVersion(), 1);
});
