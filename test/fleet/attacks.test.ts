/**
 * The attacks of issue 6's "Must show", over real HTTP between the device SDK and the Steward
 * server. Documents the real server would never produce are served by a proxy that plays a
 * compromised director (signed with the director's own key) or a replaying one.
 */
import t, { type Test } from 'tap';
import { computeHashes, Metadata, type JsonObject } from '../../manifests/index.js';
import { DeviceKey, exchangeJson, FetchApiTransport, RequestSigner } from '../../device-sdk/signing/index.js';
import { DeviceError } from '../../device-sdk/errors.js';
import type { SimTerminal } from '../helpers/fleet-sim.js';
import { DirectorProxy } from '../helpers/fleet-sim-proxy.js';
import { operator } from '../helpers/server-harness.js';
import { FleetWorld, runTerminal, stepWhenDue, type PublishedRelease } from './fixtures/fleet-world.js';

async function world(t: Test) {
  const fleet = await FleetWorld.create(t);
  const proxy = await DirectorProxy.start(fleet.server.url);
  t.teardown(() => proxy.close());
  const terminal = await fleet.terminal(t, { serverUrl: proxy.url });
  await terminal.step();
  return { fleet, proxy, terminal, deviceId: (await terminal.deviceId())! };
}

/** Events the terminal reported or still holds (the server may not have recorded them yet). */
async function events(fleet: FleetWorld, terminal: SimTerminal): Promise<{ kind: string; code: string | null; targetPath?: string | null }[]> {
  const deviceId = await terminal.deviceId();
  const history = await operator(fleet.server, 'GET', `/v1/operator/devices/${deviceId}/history`);
  const recorded = history.statusCode === 200 ? (history.json() as { events: { id: string; kind: string; code: string | null; targetPath: string | null }[] }).events : [];
  const queued = (await terminal.agent.state()).queue;
  const ids = new Set(recorded.map((event) => event.id));
  return [...recorded, ...queued.filter((event) => !ids.has(event.id))];
}

/** The director's key signs whatever a compromised director wants, on top of the real document. */
async function forge(fleet: FleetWorld, original: Record<string, unknown>, mutate: (signed: JsonObject) => void): Promise<Record<string, unknown>> {
  const signed = structuredClone((original as { signed: JsonObject }).signed);
  signed.version = (signed.version as number) + 1;
  mutate(signed);
  const metadata = await Metadata.fromJSON('targets', { signatures: [], signed }).sign(fleet.server.directorKey.signer);
  return metadata.toJSON();
}

function imageEntry(release: PublishedRelease, changes: { bytes?: Buffer; hardwareId?: string; version?: string } = {}): JsonObject {
  const bytes = changes.bytes ?? release.bytes;
  const hashes = computeHashes(bytes);
  return { length: bytes.length, hashes: { sha256: hashes.sha256!, sha512: hashes.sha512! }, custom: { kind: 'image', hardware_id: changes.hardwareId ?? 't100', component: 'firmware', version: changes.version ?? release.version, rollout_id: 'rol_forged' } };
}

async function expectRefused(t: Test, fleet: FleetWorld, terminal: SimTerminal, code: string): Promise<void> {
  await runTerminal(fleet, terminal, 1_800_000);
  const refused = (await events(fleet, terminal)).filter((event) => event.kind === 'rejected');
  t.match(refused, [{ kind: 'rejected', code }], `refused with ${code}, once`);
  t.equal(await terminal.installedVersion(), '1.0.0', 'still running the factory image');
  t.equal((await terminal.installer.bootState()).slots.b, undefined, 'no slot written');
  t.equal(terminal.host.reboots, 0);
}

t.test('a director document for another device is refused', async (t) => {
  const { fleet, proxy, terminal } = await world(t);
  const other = await fleet.terminal(t, { serverUrl: proxy.url });
  let othersDocument: Record<string, unknown> | undefined;
  const otherId = async () => other.deviceId();
  proxy.director = async (deviceId, original) => {
    if (deviceId === (await otherId())) othersDocument = original;
    else if (othersDocument) return othersDocument; // the other terminal's genuine document, replayed to this one
    return undefined;
  };
  await other.step();
  t.ok(othersDocument, "the other terminal's document was captured");
  await expectRefused(t, fleet, terminal, 'STW_DEVICE_DIRECTOR_INVALID');
});

t.test('an expired director document is refused', async (t) => {
  const { fleet, proxy, terminal } = await world(t);
  proxy.director = (_deviceId, original) => forge(fleet, original, (signed) => (signed.expires = '2026-12-01T08:00:00Z'));
  await expectRefused(t, fleet, terminal, 'STW_DEVICE_DIRECTOR_INVALID');
});

t.test('a replayed older director document is refused', async (t) => {
  const { fleet, proxy, terminal, deviceId } = await world(t);
  let oldDocument: Record<string, unknown> | undefined;
  proxy.director = async (_deviceId, original) => ((oldDocument ??= original), undefined);
  await stepWhenDue(fleet, terminal); // the document in force now passes through the proxy and is kept
  t.equal((oldDocument as { signed: { version: number } } | undefined)?.signed.version, 1);
  // a rollout changes what the director says: the terminal takes a newer document
  const release = await fleet.publish('2.0.0');
  terminal.host.busy = true; // in a transaction: the install waits
  await fleet.startRollout({ targetPath: release.path, selector: { deviceIds: [deviceId] }, phases: [{ kind: 'count', value: 1 }] });
  await stepWhenDue(fleet, terminal);
  t.ok((await terminal.agent.state()).offers['firmware'], 'the newer document was acted on');
  proxy.director = async () => oldDocument;
  await runTerminal(fleet, terminal, 1_800_000);
  const refused = (await events(fleet, terminal)).filter((event) => event.kind === 'rejected');
  t.match(refused, [{ code: 'STW_DEVICE_DIRECTOR_INVALID' }]);
  t.equal(refused.length, 1, 'reported once');
  t.equal(terminal.host.reboots, 0, 'nothing installed while busy');
});

t.test('a director naming a target whose hash differs from the vendor target is refused', async (t) => {
  const { fleet, proxy, terminal } = await world(t);
  const release = await fleet.publish('2.0.0');
  const evil = Buffer.from(release.bytes);
  evil[0] = evil[0]! ^ 0xff;
  proxy.director = (_deviceId, original) => forge(fleet, original, (signed) => ((signed.targets as JsonObject)[release.path] = imageEntry(release, { bytes: evil })));
  await expectRefused(t, fleet, terminal, 'STW_DEVICE_TARGET_MISMATCH');
});

t.test('a downgrade is refused', async (t) => {
  const { fleet, proxy, terminal } = await world(t);
  const old = await fleet.publish('0.9.0');
  proxy.director = (_deviceId, original) => forge(fleet, original, (signed) => ((signed.targets as JsonObject)[old.path] = imageEntry(old)));
  await expectRefused(t, fleet, terminal, 'STW_DEVICE_DOWNGRADE');
});

t.test('a wrong hardware id is refused', async (t) => {
  const { fleet, proxy, terminal } = await world(t);
  const t200 = await fleet.publish('2.0.0', { hardwareIds: ['t200'] });
  proxy.director = (_deviceId, original) => forge(fleet, original, (signed) => ((signed.targets as JsonObject)[t200.path] = imageEntry(t200)));
  await expectRefused(t, fleet, terminal, 'STW_DEVICE_WRONG_HARDWARE');
});

t.test("a request signed with another device's key is refused by the server", async (t) => {
  const { fleet, terminal, deviceId } = await world(t);
  const victim = await fleet.terminal(t);
  await victim.step();
  const victimId = (await victim.deviceId())!;
  const attackerKey = (await terminal.agent.identity())!.key;
  const transport = new FetchApiTransport();
  const body = { installed: [{ component: 'firmware', version: '9.9.9' }], health: {}, events: [] };
  const statusOf = async (signer: RequestSigner) => {
    const error = await exchangeJson(transport, { method: 'POST', url: `${fleet.server.url}/v1/devices/${victimId}/check-in`, json: body, signer }).catch((e: unknown) => e);
    return error instanceof DeviceError ? { status: error.details?.status, serverCode: error.details?.serverCode } : 'accepted';
  };
  const now = () => fleet.clock.now;
  t.same(await statusOf(new RequestSigner({ deviceId: victimId, key: attackerKey, now })), { status: 401, serverCode: 'STW_DEVICE_SIGNATURE_INVALID' }, "the victim's id, the attacker's key");
  t.same(await statusOf(new RequestSigner({ deviceId, key: attackerKey, now })), { status: 401, serverCode: 'STW_DEVICE_SIGNATURE_INVALID' }, "the attacker's own id on the victim's path");
  t.same(await statusOf(new RequestSigner({ deviceId: victimId, key: DeviceKey.generate(), now })), { status: 401, serverCode: 'STW_DEVICE_SIGNATURE_INVALID' }, 'a fresh key');
});

t.test('a replayed signed request is refused by the server', async (t) => {
  const { fleet, proxy, terminal } = await world(t);
  await stepWhenDue(fleet, terminal);
  const [recorded] = proxy.recorded(/check-in$/).slice(-1);
  if (!recorded) throw new Error('no check-in recorded');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorded.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length' && name !== 'connection') headers[name] = value;
  const replay = await new FetchApiTransport().send({ method: 'POST', url: `${fleet.server.url}${recorded.path}`, headers, body: recorded.body });
  t.equal(replay.status, 401);
  t.equal(JSON.parse(replay.body.toString()).error.code, 'STW_DEVICE_REPLAYED');
  fleet.clock.advance(400_000);
  const late = await new FetchApiTransport().send({ method: 'POST', url: `${fleet.server.url}${recorded.path}`, headers, body: recorded.body });
  t.equal(JSON.parse(late.body.toString()).error.code, 'STW_DEVICE_SIGNATURE_EXPIRED', 'outside the window it is simply too old');
});
