// Device request authentication (protocol.md section 2): RFC 9421 signatures with an
// RFC 9530 Content-Digest, a 300 s window and a nonce ledger, on both databases.
import { generateKeyPairSync } from 'node:crypto';
import t from 'tap';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import { startFleetServer } from '../../helpers/fleet-harness.js';
import { errorCode, operator } from '../../helpers/server-harness.js';

const body = { installed: [{ component: 'firmware', version: '1.0.0' }] };

forEachKind(t, 'signed device requests', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const token = await fleet.enrolmentToken({ uses: 10 });
  const terminal = await fleet.enrolWithToken({ token });
  const other = await fleet.enrolWithToken({ token });

  await t.test('a correctly signed check-in is accepted', async (t) => {
    t.equal((await terminal.checkIn(body)).statusCode, 200);
  });
  await t.test('a request signed with another device key for this device is refused', async (t) => {
    const response = await terminal.checkIn(body, { key: other.privateKey });
    t.equal(response.statusCode, 401);
    t.equal(errorCode(response), 'STW_DEVICE_SIGNATURE_INVALID');
  });
  await t.test("a device signing with its own key and id for another device's path is refused", async (t) => {
    const response = await other.send('POST', `/v1/devices/${terminal.deviceId}/check-in`, body);
    t.equal(errorCode(response), 'STW_DEVICE_SIGNATURE_INVALID');
    t.equal(response.json<{ error: { details: { reason: string } } }>().error.details.reason, 'keyid');
  });
  await t.test('a replayed request (same nonce) is refused', async (t) => {
    const nonce = 'cmVwbGF5ZWQtbm9uY2UtMTIzNDU2';
    t.equal((await terminal.checkIn(body, { nonce })).statusCode, 200);
    const replay = await terminal.checkIn(body, { nonce });
    t.equal(replay.statusCode, 401);
    t.equal(errorCode(replay), 'STW_DEVICE_REPLAYED');
    t.equal((await other.checkIn(body, { nonce })).statusCode, 200, 'nonces are per device');
  });
  await t.test('two concurrent requests with one nonce: exactly one is accepted', async (t) => {
    const nonce = 'Y29uY3VycmVudC1ub25jZS0xMjM0NQ';
    const statuses = (await Promise.all([terminal.checkIn(body, { nonce }), terminal.checkIn(body, { nonce }), terminal.checkIn(body, { nonce })])).map((r) => r.statusCode).sort();
    t.same(statuses, [200, 401, 401]);
  });
  await t.test('a stale or future created is refused', async (t) => {
    const stale = await terminal.checkIn(body, { created: new Date(fleet.now.getTime() - 301_000) });
    t.equal(errorCode(stale), 'STW_DEVICE_SIGNATURE_EXPIRED');
    const future = await terminal.checkIn(body, { created: new Date(fleet.now.getTime() + 301_000) });
    t.equal(errorCode(future), 'STW_DEVICE_SIGNATURE_EXPIRED');
    t.equal((await terminal.checkIn(body, { created: new Date(fleet.now.getTime() - 290_000) })).statusCode, 200, 'inside the window is fine');
  });
  await t.test('a body that does not match its signed digest is refused', async (t) => {
    const tampered = await terminal.checkIn(body, { sendBody: JSON.stringify({ installed: [{ component: 'firmware', version: '9.9.9' }] }) });
    t.equal(tampered.statusCode, 401);
    t.equal(errorCode(tampered), 'STW_DEVICE_SIGNATURE_INVALID');
    t.equal(tampered.json<{ error: { details: { reason: string } } }>().error.details.reason, 'digest');
  });
  await t.test('a Content-Digest changed after signing is refused', async (t) => {
    const response = await terminal.checkIn(body, { headers: { 'content-digest': 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:' } });
    t.equal(errorCode(response), 'STW_DEVICE_SIGNATURE_INVALID');
  });
  await t.test('a signature by an unknown device id is refused like a bad signature', async (t) => {
    const stranger = fleet.terminal();
    stranger.deviceId = 'dev_00000000-0000-0000-0000-000000000000';
    t.equal(errorCode(await stranger.checkIn(body)), 'STW_DEVICE_SIGNATURE_INVALID');
  });
  await t.test('a request without a signature needs authentication; a bearer token is not a device', async (t) => {
    const url = `/v1/devices/${terminal.deviceId}/check-in`;
    t.equal(errorCode(await fleet.app.inject({ method: 'POST', url, payload: body })), 'STW_AUTH_REQUIRED');
    t.equal(errorCode(await fleet.app.inject({ method: 'POST', url, payload: body, headers: { authorization: `Bearer ${fleet.operatorToken}` } })), 'STW_AUTH_FORBIDDEN');
  });
  await t.test('a signature made with an RSA key or a mangled Signature header is refused', async (t) => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    t.equal(errorCode(await terminal.checkIn(body, { key: rsa })), 'STW_DEVICE_SIGNATURE_INVALID');
    t.equal(errorCode(await terminal.checkIn(body, { headers: { signature: 'sig1=:not base64!:' } })), 'STW_DEVICE_SIGNATURE_INVALID');
  });
  await t.test('a disabled device is refused with 403, and again accepted once enabled', async (t) => {
    t.equal((await operator(fleet, 'POST', `/v1/operator/devices/${other.deviceId}/disable`)).statusCode, 200);
    const refused = await other.checkIn(body);
    t.equal(refused.statusCode, 403);
    t.equal(errorCode(refused), 'STW_DEVICE_DISABLED');
    t.equal((await operator(fleet, 'POST', `/v1/operator/devices/${other.deviceId}/enable`)).statusCode, 200);
    t.equal((await other.checkIn(body)).statusCode, 200);
  });
  await t.test('a swapped-out device is refused with 403', async (t) => {
    t.equal((await operator(fleet, 'POST', `/v1/operator/devices/${other.deviceId}/swapped-out`)).statusCode, 200);
    t.equal(errorCode(await other.checkIn(body)), 'STW_DEVICE_DISABLED');
  });
  await t.test('a nonce is kept until its created time leaves the window', async (t) => {
    const created = new Date(fleet.now.getTime() - 100_000);
    const nonce = 'd2luZG93LW5vbmNlLTEyMzQ1Njc4';
    t.equal((await terminal.checkIn(body, { created, nonce })).statusCode, 200);
    const row = await fleet.database.db.selectFrom('request_nonces').select('expires_at').where('nonce', '=', nonce).executeTakeFirstOrThrow();
    t.equal(row.expires_at, new Date(created.getTime() + 300_000).toISOString());
  });
});
