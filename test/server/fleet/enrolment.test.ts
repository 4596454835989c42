// Enrolment (protocol.md section 1): by manufacturing certificate and by enrolment token,
// and each way it must fail, on both databases.
import t from 'tap';
import { signChallenge } from '../../../manifests/x509/index.js';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import { startFleetServer, type FleetTestServer, type TestTerminal } from '../../helpers/fleet-harness.js';
import { errorCode, operator } from '../../helpers/server-harness.js';
import { buildDevicePki, type DevicePki } from '../../helpers/x509-fixtures.js';

async function registerAcmeCa(fleet: FleetTestServer, pki: DevicePki): Promise<void> {
  const response = await operator(fleet, 'PUT', '/v1/operator/vendors/acme/manufacturing-ca', { certificates: [pki.rootPem] });
  if (response.statusCode !== 200) throw new Error(`register CA: ${response.body}`);
}

async function certificateBody(terminal: TestTerminal, pki: DevicePki, change: { challenge?: string; challengeSignature?: string; deviceKeySignature?: string } = {}): Promise<Record<string, unknown>> {
  const challenge = change.challenge ?? (await terminal.challenge());
  return {
    method: 'certificate',
    certificateChain: pki.chainPem,
    challenge,
    challengeSignature: change.challengeSignature ?? Buffer.from(signChallenge(pki.leafPrivateKeyPem, Buffer.from(challenge, 'base64url'))).toString('base64'),
    deviceKey: terminal.publicKey.toJSON(),
    deviceKeySignature: change.deviceKeySignature ?? terminal.proof(challenge),
  };
}

forEachKind(t, 'a terminal with a manufacturing certificate from a registered vendor CA enrols and gets its trust bundle', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const pki = buildDevicePki({ serialNumber: 'SN-0000042', hardwareModel: 'A920' });
  await registerAcmeCa(fleet, pki);
  const terminal = fleet.terminal();
  const response = await terminal.enrol(await certificateBody(terminal, pki));
  t.equal(response.statusCode, 201);
  const body = response.json<{ deviceId: string; serial: string; hardwareModel: string; trust: { imageRepositoryRoot: unknown; directorRoot: { signed: { _type: string; version: number } } }; endpoints: { checkIn: string } }>();
  t.match(body.deviceId, /^dev_[0-9a-f-]{36}$/);
  t.equal(body.serial, 'SN-0000042', 'the serial comes from the certificate subject');
  t.equal(body.hardwareModel, 'A920', 'the hardware model comes from the certificate OU');
  t.same(body.trust.imageRepositoryRoot, JSON.parse(fleet.repo.rootBytes.toString('utf8')), 'the image repository root as published');
  t.equal(body.trust.directorRoot.signed._type, 'root');
  t.equal(body.endpoints.checkIn, `/v1/devices/${body.deviceId}/check-in`);
  const device = (await operator(fleet, 'GET', `/v1/operator/devices/${body.deviceId}`)).json<{ vendorId: string; enrolmentMethod: string; keyId: string }>();
  t.equal(device.vendorId, 'acme', 'the vendor whose CA vouched');
  t.equal(device.enrolmentMethod, 'certificate');
  t.equal(device.keyId, terminal.publicKey.keyId());
});

t.test('certificate enrolment refusals', async (t) => {
  const fleet = await startFleetServer(t);
  const pki = buildDevicePki({ serialNumber: 'SN-0000043' });
  await registerAcmeCa(fleet, pki);

  await t.test('when the chain was issued by a CA no vendor registered', async (t) => {
    const terminal = fleet.terminal();
    const response = await terminal.enrol(await certificateBody(terminal, buildDevicePki({ keySet: 'impostor', rootCommonName: 'Impostor Root CA' })));
    t.equal(response.statusCode, 401);
    t.equal(errorCode(response), 'STW_ENROLMENT_CERTIFICATE_INVALID');
    t.equal(response.json<{ error: { details: { reason: string } } }>().error.details.reason, 'untrusted-root');
  });
  await t.test('when the leaf certificate has expired', async (t) => {
    const terminal = fleet.terminal();
    t.equal(errorCode(await terminal.enrol(await certificateBody(terminal, buildDevicePki({ expired: 'leaf' })))), 'STW_ENROLMENT_CERTIFICATE_INVALID');
  });
  await t.test('when the challenge signature is not by the certificate key', async (t) => {
    const terminal = fleet.terminal();
    const challenge = await terminal.challenge();
    const other = buildDevicePki({ keySet: 'impostor' });
    const forged = Buffer.from(signChallenge(other.leafPrivateKeyPem, Buffer.from(challenge, 'base64url'))).toString('base64');
    const response = await terminal.enrol(await certificateBody(terminal, pki, { challenge, challengeSignature: forged }));
    t.equal(errorCode(response), 'STW_ENROLMENT_PROOF_INVALID');
    t.equal(response.json<{ error: { details: { proof: string } } }>().error.details.proof, 'certificate-key');
  });
  await t.test('when the device key did not sign the challenge', async (t) => {
    const terminal = fleet.terminal();
    const challenge = await terminal.challenge();
    const response = await terminal.enrol(await certificateBody(terminal, pki, { challenge, deviceKeySignature: fleet.terminal().proof(challenge) }));
    t.equal(errorCode(response), 'STW_ENROLMENT_PROOF_INVALID');
    t.equal(response.json<{ error: { details: { proof: string } } }>().error.details.proof, 'device-key');
  });
  await t.test('when the challenge was already used, even by a failed attempt', async (t) => {
    const terminal = fleet.terminal();
    const challenge = await terminal.challenge();
    t.equal(errorCode(await terminal.enrol(await certificateBody(terminal, pki, { challenge, deviceKeySignature: fleet.terminal().proof(challenge) }))), 'STW_ENROLMENT_PROOF_INVALID');
    t.equal(errorCode(await terminal.enrol(await certificateBody(terminal, pki, { challenge }))), 'STW_ENROLMENT_CHALLENGE_INVALID');
  });
  await t.test('when the challenge has expired', async (t) => {
    const terminal = fleet.terminal();
    const challenge = await terminal.challenge();
    fleet.advance(301);
    t.equal(errorCode(await terminal.enrol(await certificateBody(terminal, pki, { challenge }))), 'STW_ENROLMENT_CHALLENGE_INVALID');
  });
  await t.test('when the challenge was never issued', async (t) => {
    const terminal = fleet.terminal();
    t.equal(errorCode(await terminal.enrol(await certificateBody(terminal, pki, { challenge: Buffer.alloc(32, 7).toString('base64url') }))), 'STW_ENROLMENT_CHALLENGE_INVALID');
  });
  await t.test('a successful enrolment after all that still works', async (t) => {
    fleet.now = pki.now;
    const terminal = fleet.terminal();
    t.equal((await terminal.enrol(await certificateBody(terminal, pki))).statusCode, 201);
  });
});

forEachKind(t, 'token enrolment and its refusals', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });

  await t.test('a token binds merchant and tags, and is used up after its uses', async (t) => {
    const token = await fleet.enrolmentToken({ uses: 2, merchantId: 'm-17', tags: ['pilot'] });
    const first = await fleet.enrolWithToken({ token, serial: 'T100-A' });
    const device = (await operator(fleet, 'GET', `/v1/operator/devices/${first.deviceId}`)).json<{ merchantId: string; tags: string[]; serial: string; hardwareModel: string }>();
    t.same({ merchantId: device.merchantId, tags: device.tags, serial: device.serial, hardwareModel: device.hardwareModel }, { merchantId: 'm-17', tags: ['pilot'], serial: 'T100-A', hardwareModel: 't100' });
    await fleet.enrolWithToken({ token, serial: 'T100-B' });
    const third = await fleet.terminal().enrolWithToken({ token, serial: 'T100-C', hardwareModel: 't100' });
    t.equal(third.statusCode, 401);
    t.equal(errorCode(third), 'STW_ENROLMENT_TOKEN_INVALID');
    t.equal(third.json<{ error: { details: { reason: string } } }>().error.details.reason, 'used-up');
  });
  await t.test('when the token has expired', async (t) => {
    const token = await fleet.enrolmentToken({ expiresInSeconds: 600 });
    fleet.advance(601);
    const response = await fleet.terminal().enrolWithToken({ token, serial: 'T100-D', hardwareModel: 't100' });
    t.equal(errorCode(response), 'STW_ENROLMENT_TOKEN_INVALID');
    t.equal(response.json<{ error: { details: { reason: string } } }>().error.details.reason, 'expired');
  });
  await t.test('when the token is bound to another hardware model', async (t) => {
    const token = await fleet.enrolmentToken({ hardwareModel: 't200' });
    const response = await fleet.terminal().enrolWithToken({ token, serial: 'T100-E', hardwareModel: 't100' });
    t.equal(response.json<{ error: { details: { reason: string } } }>().error.details.reason, 'hardware-model');
  });
  await t.test('when the token is unknown', async (t) => {
    t.equal(errorCode(await fleet.terminal().enrolWithToken({ token: 'stw_enrol_nope', serial: 'T100-F', hardwareModel: 't100' })), 'STW_ENROLMENT_TOKEN_INVALID');
  });
  await t.test('when the device key proof is bad, the token use is not taken', async (t) => {
    const token = await fleet.enrolmentToken({ uses: 1 });
    const terminal = fleet.terminal();
    const challenge = await terminal.challenge();
    const response = await terminal.enrol({ method: 'token', enrolmentToken: token, serial: 'T100-G', hardwareModel: 't100', challenge, deviceKey: terminal.publicKey.toJSON(), deviceKeySignature: fleet.terminal().proof(challenge) });
    t.equal(errorCode(response), 'STW_ENROLMENT_PROOF_INVALID');
    t.equal((await terminal.enrolWithToken({ token, serial: 'T100-G', hardwareModel: 't100' })).statusCode, 201, 'the one use is still there');
  });
});

forEachKind(t, 'a serial in service enrols once; a re-key or a swap-out lets it enrol again', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const token = await fleet.enrolmentToken({ uses: 10 });
  const original = await fleet.enrolWithToken({ token, serial: 'T100-X' });

  const again = fleet.terminal();
  const refused = await again.enrolWithToken({ token, serial: 'T100-X', hardwareModel: 't100' });
  t.equal(refused.statusCode, 409);
  t.equal(errorCode(refused), 'STW_DEVICE_ALREADY_ENROLLED');

  t.equal((await operator(fleet, 'POST', `/v1/operator/devices/${original.deviceId}/rekey`)).statusCode, 200);
  const rekeyed = await again.enrolWithToken({ token, serial: 'T100-X', hardwareModel: 't100' });
  t.equal(rekeyed.statusCode, 201);
  t.equal(again.deviceId, original.deviceId, 'a re-key keeps the device id');
  t.equal((await original.checkIn({ installed: [] })).statusCode, 401, 'the old key no longer signs for the device');
  t.equal((await again.checkIn({ installed: [] })).statusCode, 200, 'the new key does');
  t.equal(errorCode(await fleet.terminal().enrolWithToken({ token, serial: 'T100-X', hardwareModel: 't100' })), 'STW_DEVICE_ALREADY_ENROLLED', 'the re-key allowance is used up');

  t.equal((await operator(fleet, 'POST', `/v1/operator/devices/${original.deviceId}/swapped-out`)).statusCode, 200);
  const replacement = await fleet.enrolWithToken({ token, serial: 'T100-X' });
  t.not(replacement.deviceId, original.deviceId, 'after a swap-out the serial enrols as a new device');
});

t.test('enrolment needs both roots of the trust bundle', async (t) => {
  const fleet = await startFleetServer(t, { directorRoot: false });
  const response = await fleet.terminal().enrolWithToken({ token: await fleet.enrolmentToken(), serial: 'T100-Z', hardwareModel: 't100' });
  t.equal(response.statusCode, 409);
  t.equal(errorCode(response), 'STW_DIRECTOR_NOT_INITIALISED');
});

t.test('manufacturing CA registration refuses what is not a CA certificate, and unknown vendors', async (t) => {
  const fleet = await startFleetServer(t);
  const pki = buildDevicePki();
  t.equal(errorCode(await operator(fleet, 'PUT', '/v1/operator/vendors/acme/manufacturing-ca', { certificates: [pki.leafPem] })), 'STW_MANUFACTURING_CA_INVALID');
  t.equal(errorCode(await operator(fleet, 'PUT', '/v1/operator/vendors/acme/manufacturing-ca', { certificates: ['not a pem'] })), 'STW_MANUFACTURING_CA_INVALID');
  t.equal(errorCode(await operator(fleet, 'PUT', '/v1/operator/vendors/nobody/manufacturing-ca', { certificates: [pki.rootPem] })), 'STW_REPO_VENDOR_UNKNOWN');
  const listed = await operator(fleet, 'PUT', '/v1/operator/vendors/acme/manufacturing-ca', { certificates: [pki.rootPem, pki.rootPem] });
  t.equal(listed.json<{ certificates: unknown[] }>().certificates.length, 1, 'the same CA twice is stored once');
  t.equal((await operator(fleet, 'GET', '/v1/operator/vendors/acme/manufacturing-ca')).json<{ certificates: unknown[] }>().certificates.length, 1);
});
