import t from 'tap';
import { computeHashes, DirectorTargets, formatExpires, Metadata, Targets, type DirectorInstructions } from '../../manifests/index.js';

const image = Buffer.from('firmware 1.2.0');
const profileBytes = Buffer.from('{"profile":1}');
const instructions: DirectorInstructions = {
  deviceId: 'dev-0001',
  pollIntervalSeconds: 300,
  installWindow: { start: '22:00', end: '04:00', timeZone: 'Europe/Paris' },
  correlationId: 'rollout-7',
  cancelledRollouts: ['rol_old'],
};

function build(overrides: Partial<Parameters<typeof DirectorTargets.build>[0]> = {}) {
  return DirectorTargets.build({
    version: 12,
    expires: formatExpires(new Date('2026-11-28T00:00:00Z')),
    instructions,
    images: [{ name: 'acme/t100-fw-1.2.0.bin', length: image.length, hashes: computeHashes(image), hardwareId: 't100', component: 'firmware', version: '1.2.0', rolloutId: 'rol_7' }],
    profile: { name: 'profiles/dev-0001/7.json', length: profileBytes.length, hashes: computeHashes(profileBytes), profileVersion: 7 },
    ...overrides,
  });
}

t.test('a director document is a TUF targets document that reads back into typed instructions', async (t) => {
  const targets = build();
  t.equal(targets.type, 'targets');
  const reparsed = Metadata.fromBytes('targets', Metadata.create(targets).toBytes()).signed;
  const director = DirectorTargets.fromTargets(reparsed);
  t.same(director.instructions, instructions);
  t.equal(director.images.length, 1);
  t.equal(director.images[0]?.hardwareId, 't100');
  t.equal(director.images[0]?.version, '1.2.0');
  t.equal(director.images[0]?.rolloutId, 'rol_7');
  t.equal(director.profile?.profileVersion, 7);
  t.equal(director.targets.version, 12);
});

t.test('a director document without a window or profile is fine', async (t) => {
  const director = DirectorTargets.fromTargets(build({ instructions: { ...instructions, installWindow: undefined, correlationId: undefined, cancelledRollouts: undefined }, profile: undefined }));
  t.equal(director.instructions.installWindow, undefined);
  t.equal(director.profile, undefined);
});

function withCustom(change: (custom: Record<string, any>, targets: Record<string, any>) => void): Targets {
  const json = build().toJSON() as Record<string, any>;
  change(json['custom'], json['targets']);
  return Targets.fromJSON(json);
}

t.test('when director fields are wrong, reading refuses them with STW_MANIFEST_INVALID', async (t) => {
  const cases: [string, (custom: Record<string, any>, targets: Record<string, any>) => void][] = [
    ['no custom block', (c) => { for (const k of Object.keys(c)) delete c[k]; }],
    ['empty device id', (c) => (c['device_id'] = '')],
    ['poll interval below the floor', (c) => (c['poll_interval_seconds'] = 1)],
    ['poll interval not an integer', (c) => (c['poll_interval_seconds'] = 30.5)],
    ['window start 24:00', (c) => (c['install_window']['start'] = '24:00')],
    ['window end not HH:MM', (c) => (c['install_window']['end'] = '4am')],
    ['unknown time zone', (c) => (c['install_window']['time_zone'] = 'Mars/Olympus')],
    ['target kind unknown', (_c, targets) => (targets['acme/t100-fw-1.2.0.bin']['custom']['kind'] = 'script')],
    ['image without hardware id', (_c, targets) => delete targets['acme/t100-fw-1.2.0.bin']['custom']['hardware_id']],
    ['target without custom', (_c, targets) => delete targets['acme/t100-fw-1.2.0.bin']['custom']],
    ['profile version zero', (_c, targets) => (targets['profiles/dev-0001/7.json']['custom']['profile_version'] = 0)],
    ['cancelled rollouts not strings', (c) => (c['cancelled_rollouts'] = [1])],
    ['two profiles', (_c, targets) => (targets['profiles/dev-0001/8.json'] = structuredClone(targets['profiles/dev-0001/7.json']))],
  ];
  for (const [name, change] of cases) {
    t.throws(() => DirectorTargets.fromTargets(withCustom(change)), { code: 'STW_MANIFEST_INVALID' }, name);
  }
});
