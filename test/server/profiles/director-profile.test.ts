// The director names each terminal's profile; the device route serves exactly those bytes.
import { createHash } from 'node:crypto';
import t from 'tap';
import { DirectorTargets, Metadata, ProfileDocument, verifyThreshold, type Root } from '../../../manifests/index.js';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import type { FleetTestServer, TestTerminal } from '../../helpers/fleet-harness.js';
import { errorCode } from '../../helpers/server-harness.js';
import { OLD_IBAN, startProfileWorld } from '../../helpers/profile-server.js';

async function directorOf(fleet: FleetTestServer, terminal: TestTerminal): Promise<DirectorTargets> {
  const response = await terminal.checkIn({ installed: [], profileVersion: null });
  if (response.statusCode !== 200) throw new Error(`check-in: ${response.statusCode} ${response.body}`);
  const root: Root = Metadata.fromBytes('root', (await fleet.app.inject({ url: '/v1/director/metadata/root.json' })).rawPayload).signed;
  const metadata = Metadata.fromJSON('targets', response.json<{ director: unknown }>().director);
  verifyThreshold(metadata, root.authority('targets'), 'director'); // what a terminal checks before it trusts
  return DirectorTargets.fromTargets(metadata.signed);
}

forEachKind(t, 'after publication the director names the profile and the device fetches matching bytes', async (t, kind) => {
  const world = await startProfileWorld(t, { database: kind });
  const { server } = world;
  const [ana, bob] = [await world.operatorUser('ana'), await world.operatorUser('bob')];
  await world.merchant('M1');
  const terminal = await server.enrolWithToken({ serial: 'SN 1' });
  t.equal((await world.as(server.operatorToken, 'PUT', `/v1/merchants/M1/terminals/${terminal.deviceId}`, { terminalId: 'T-0001' })).statusCode, 200);

  t.equal((await directorOf(server, terminal)).profile, undefined, 'no profile before the merchant has one');
  await world.seedProfile('M1', ana, bob);
  const director = await directorOf(server, terminal);
  const named = director.profile;
  if (!named) throw new Error('the director names no profile');
  t.equal(named.file.path, 'profiles/M1/T-0001/1.json');
  t.equal(named.profileVersion, 1, 'the version is the merchant version');

  const fetched = await terminal.send('GET', `/v1/devices/${terminal.deviceId}/profiles/1`, undefined);
  t.equal(fetched.statusCode, 200);
  t.match(fetched.headers['content-type'], /^application\/json/);
  t.equal(fetched.rawPayload.length, named.file.length);
  t.equal(createHash('sha256').update(fetched.rawPayload).digest('hex'), named.file.hashes['sha256'], 'the bytes match the signed hash');
  const document = ProfileDocument.fromBytes(fetched.rawPayload);
  t.equal(document.version, 1);
  t.equal(document.merchantId, 'M1');
  t.equal(document.terminalId, 'T-0001');
  t.same(document.fields.settlementAccount, { type: 'iban', iban: OLD_IBAN, bic: 'BNPAFRPP' }, 'the device receives the full account');

  // A non-sensitive correction publishes at once as version 2, with the terminal override applied.
  const correction = await world.as(ana.token, 'POST', '/v1/merchants/M1/profile/changes', { layer: 'terminal:T-0001', patch: { receipt_header: ['Till 1'] } });
  t.equal(correction.statusCode, 201);
  const next = (await directorOf(server, terminal)).profile;
  t.equal(next?.profileVersion, 2);
  const bytes = (await terminal.send('GET', `/v1/devices/${terminal.deviceId}/profiles/2`, undefined)).rawPayload;
  t.same(ProfileDocument.fromBytes(bytes).fields.receiptHeader, ['Till 1']);
  t.equal(createHash('sha256').update(bytes).digest('hex'), next?.file.hashes['sha256']);

  t.equal(errorCode(await terminal.send('GET', `/v1/devices/${terminal.deviceId}/profiles/3`, undefined)), 'STW_PROFILE_NOT_FOUND', 'a version that does not exist');
  t.equal(errorCode(await world.as(server.operatorToken, 'GET', `/v1/devices/${terminal.deviceId}/profiles/1`)), 'STW_AUTH_FORBIDDEN', 'a bearer token never speaks for a device');
  const other = await server.enrolWithToken({ serial: 'SN 2' });
  t.equal(errorCode(await other.send('GET', `/v1/devices/${other.deviceId}/profiles/1`, undefined)), 'STW_PROFILE_NOT_FOUND', 'an unassigned device gets nothing');
  t.equal(errorCode(await other.send('GET', `/v1/devices/${terminal.deviceId}/profiles/1`, undefined, { keyId: terminal.deviceId })), 'STW_DEVICE_SIGNATURE_INVALID', "another device's key cannot sign as this device");
});
