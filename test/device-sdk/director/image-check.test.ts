import t from 'tap';
import { computeHashes, DirectorTargets, ReleaseInfo, TargetFile, type DirectorImage } from '../../../manifests/index.js';
import { checkImage, type TargetLookup } from '../../../device-sdk/director/index.js';

const BYTES = Buffer.from('acme firmware 2.0.0');
const PATH = 'acme/t100-fw-2.0.0.bin';

function vendorTarget(options: { bytes?: Buffer; version?: string; hardwareIds?: string[]; component?: string; minFromVersion?: string; custom?: object } = {}): TargetFile {
  const bytes = options.bytes ?? BYTES;
  const info = new ReleaseInfo({ version: options.version ?? '2.0.0', hardwareIds: options.hardwareIds ?? ['t100', 't200'], component: options.component ?? 'firmware', minFromVersion: options.minFromVersion });
  return new TargetFile({ path: PATH, length: bytes.length, hashes: computeHashes(bytes), custom: (options.custom ?? info.toCustom()) as never });
}

function directorImage(options: { bytes?: Buffer; hardwareId?: string; version?: string; component?: string } = {}): DirectorImage {
  const bytes = options.bytes ?? BYTES;
  const targets = DirectorTargets.build({
    version: 1,
    expires: '2099-01-01T00:00:00Z',
    instructions: { deviceId: 'dev_1', pollIntervalSeconds: 300, installWindow: undefined, correlationId: undefined },
    images: [{ name: PATH, length: bytes.length, hashes: computeHashes(bytes), hardwareId: options.hardwareId ?? 't100', component: options.component ?? 'firmware', version: options.version ?? '2.0.0', rolloutId: 'rol_1' }],
  });
  return DirectorTargets.fromTargets(targets).images[0]!;
}

function repository(target: TargetFile | undefined): TargetLookup {
  return { getTargetInfo: async (path) => (path === target?.path ? target : undefined) };
}

const facts = { hardwareModel: 't100', installedVersion: '1.1.0' };

t.test('when director and vendor agree on everything, the image is accepted', async (t) => {
  const decision = await checkImage(directorImage(), repository(vendorTarget()), facts);
  t.match(decision, { kind: 'accept', release: { version: '2.0.0', component: 'firmware' }, target: { path: PATH } });
});

t.test('when the director names a target whose hash differs from the vendor target, it is refused', async (t) => {
  const decision = await checkImage(directorImage({ bytes: Buffer.from('acme firmware 2.0.X') }), repository(vendorTarget()), facts);
  t.match(decision, { kind: 'reject', code: 'STW_DEVICE_TARGET_MISMATCH', reason: 'content' });
});

t.test('when the lengths differ, it is refused', async (t) => {
  const decision = await checkImage(directorImage({ bytes: Buffer.concat([BYTES, Buffer.from('!')]) }), repository(vendorTarget()), facts);
  t.match(decision, { kind: 'reject', code: 'STW_DEVICE_TARGET_MISMATCH' });
});

t.test('when the image repository does not list the target, it is refused', async (t) => {
  t.match(await checkImage(directorImage(), repository(undefined), facts), { kind: 'reject', code: 'STW_DEVICE_TARGET_NOT_FOUND' });
});

t.test("when the director's hardware id is not this model, it is refused", async (t) => {
  t.match(await checkImage(directorImage({ hardwareId: 't200' }), repository(vendorTarget()), facts), { kind: 'reject', code: 'STW_DEVICE_WRONG_HARDWARE', reason: 'director-hardware-id' });
});

t.test("when the vendor's release does not list this model, it is refused", async (t) => {
  t.match(await checkImage(directorImage(), repository(vendorTarget({ hardwareIds: ['t200'] })), facts), { kind: 'reject', code: 'STW_DEVICE_WRONG_HARDWARE', reason: 'release-hardware-ids' });
});

t.test('when the release is older than the installed version, it is refused as a downgrade', async (t) => {
  const decision = await checkImage(directorImage(), repository(vendorTarget()), { hardwareModel: 't100', installedVersion: '2.0.1' });
  t.match(decision, { kind: 'reject', code: 'STW_DEVICE_DOWNGRADE', details: { version: '2.0.0', installed: '2.0.1' } });
});

t.test('semver order decides, not string order', async (t) => {
  t.match(await checkImage(directorImage(), repository(vendorTarget()), { hardwareModel: 't100', installedVersion: '10.0.0' }), { kind: 'reject', code: 'STW_DEVICE_DOWNGRADE' });
  t.match(await checkImage(directorImage(), repository(vendorTarget()), { hardwareModel: 't100', installedVersion: '2.0.0-rc.1' }), { kind: 'accept' }, 'a release is above its pre-release');
});

t.test('when the director lies about the version to pass the downgrade check, the vendor version decides', async (t) => {
  const decision = await checkImage(directorImage({ version: '9.0.0' }), repository(vendorTarget()), facts);
  t.match(decision, { kind: 'reject', code: 'STW_DEVICE_TARGET_MISMATCH', reason: 'release-facts' });
  t.match(await checkImage(directorImage({ component: 'payment-app' }), repository(vendorTarget()), facts), { kind: 'reject', code: 'STW_DEVICE_TARGET_MISMATCH', reason: 'release-facts' });
});

t.test('when the installed version is the release, there is nothing to do', async (t) => {
  t.match(await checkImage(directorImage(), repository(vendorTarget()), { hardwareModel: 't100', installedVersion: '2.0.0' }), { kind: 'installed' });
});

t.test('min_from_version is respected', async (t) => {
  const target = vendorTarget({ minFromVersion: '1.5.0' });
  t.match(await checkImage(directorImage(), repository(target), facts), { kind: 'reject', code: 'STW_DEVICE_MIN_VERSION' });
  t.match(await checkImage(directorImage(), repository(target), { hardwareModel: 't100', installedVersion: '1.5.0' }), { kind: 'accept' });
  t.match(await checkImage(directorImage(), repository(target), { hardwareModel: 't100', installedVersion: undefined }), { kind: 'reject', code: 'STW_DEVICE_MIN_VERSION' }, 'unknown installed version');
});

t.test('when the vendor target carries no valid release facts, it is refused', async (t) => {
  t.match(await checkImage(directorImage(), repository(vendorTarget({ custom: { version: 'two' } })), facts), { kind: 'reject', code: 'STW_DEVICE_METADATA_INVALID' });
});
