import t, { type Test } from 'tap';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { enrolDevice, IdentityStore } from '../../../device-sdk/enrol/index.js';
import { DeviceError } from '../../../device-sdk/errors.js';
import type { ApiRequest, ApiResponse, ApiTransport } from '../../../device-sdk/signing/index.js';
import { FetchApiTransport } from '../../../device-sdk/signing/index.js';
import { ProtocolStub } from '../../helpers/fleet-sim-protocol-stub.js';
import { TufRepository } from '../../helpers/tuf-repository.js';
import { buildDevicePki } from '../../helpers/x509-fixtures.js';

async function stub(t: Test) {
  const repository = await TufRepository.create();
  const server = await ProtocolStub.start({ repository });
  t.teardown(() => server.close());
  return { repository, server };
}

const token = { kind: 'token', token: 'stw_enrol_test', serial: 'T100-000123', hardwareModel: 't100' } as const;

function codeOf(error: unknown): { code: string; reason: unknown; serverCode: unknown } | undefined {
  return error instanceof DeviceError ? { code: error.code, reason: error.details?.reason, serverCode: error.details?.serverCode } : undefined;
}

/** Records every request and can drop the answer of one of them (a lost response). */
class RecordingTransport implements ApiTransport {
  readonly requests: ApiRequest[] = [];
  loseAnswerOf: string | undefined;
  readonly #inner = new FetchApiTransport();
  async send(request: ApiRequest): Promise<ApiResponse> {
    this.requests.push(request);
    const response = await this.#inner.send(request);
    if (this.loseAnswerOf !== undefined && request.url.endsWith(this.loseAnswerOf)) {
      this.loseAnswerOf = undefined;
      throw new DeviceError('STW_DEVICE_FETCH_FAILED', 'connection reset');
    }
    return response;
  }
}

t.test('a token enrolment registers the device key and keeps identity and trust bundle', async (t) => {
  const { server, repository } = await stub(t);
  const dir = t.testdir({});
  const store = new IdentityStore(`${dir}/identity`);
  const identity = await enrolDevice({ serverUrl: server.url, method: token, store });
  t.match(identity, { serial: 'T100-000123', hardwareModel: 't100', endpoints: { checkIn: `/v1/devices/${identity.deviceId}/check-in` } });
  const registered = server.devices.get(identity.deviceId);
  t.equal(registered?.publicKey.keyId(), identity.key.publicKey.keyId(), 'the server holds the device public key');
  t.same(identity.imageRepositoryRoot.metadata.signed.toJSON(), JSON.parse(Buffer.from(repository.metadata('root', 1)).toString()).signed);
  t.same(identity.directorRoot.metadata.signed.toJSON(), server.directorRoot.signed.toJSON());

  const reloaded = await new IdentityStore(`${dir}/identity`).load();
  t.equal(reloaded?.deviceId, identity.deviceId, 'persisted');
  t.equal(reloaded?.key.publicKey.keyId(), identity.key.publicKey.keyId());
  t.match(await readFile(store.keyPath, 'utf8'), /^-----BEGIN PRIVATE KEY-----/, 'PKCS#8 PEM');
  t.equal(statSync(`${dir}/identity`).mode & 0o777, 0o700, 'only the terminal user may read the identity directory');
});

t.test('a zero-touch enrolment signs the challenge with the manufacturing key', async (t) => {
  const { server } = await stub(t);
  const pki = buildDevicePki({ serialNumber: 'SN-777', hardwareModel: 't100' });
  const identity = await enrolDevice({
    serverUrl: server.url,
    method: { kind: 'certificate', certificateChainPem: pki.chainPem, manufacturingKeyPem: pki.leafPrivateKeyPem },
    store: new IdentityStore(t.testdir({})),
  });
  t.match(identity, { serial: 'SN-777', hardwareModel: 't100' });
});

t.test('an enrolled terminal does not enrol again', async (t) => {
  const { server } = await stub(t);
  const store = new IdentityStore(t.testdir({}));
  const first = await enrolDevice({ serverUrl: server.url, method: token, store });
  const transport = new RecordingTransport();
  const second = await enrolDevice({ serverUrl: server.url, method: token, store, transport });
  t.equal(second.deviceId, first.deviceId);
  t.equal(transport.requests.length, 0);
});

t.test('when the enrolment answer is lost, the retry uses the same device key', async (t) => {
  const { server } = await stub(t);
  const store = new IdentityStore(t.testdir({}));
  const transport = new RecordingTransport();
  transport.loseAnswerOf = '/v1/devices/enrol';
  t.equal(codeOf(await enrolDevice({ serverUrl: server.url, method: token, store, transport }).catch((e: unknown) => e))?.code, 'STW_DEVICE_FETCH_FAILED');
  t.notOk(existsSync(store.identityPath), 'not enrolled yet');
  const keyBefore = (await store.loadKey())?.publicKey.keyId();
  const sentKeys = () => transport.requests.filter((r) => r.url.endsWith('/enrol')).map((r) => JSON.parse(Buffer.from(r.body!).toString()).deviceKey.keyval.public);
  // The stub refuses a second enrolment of the serial; what matters is that the key offered is the same.
  await enrolDevice({ serverUrl: server.url, method: token, store, transport }).catch(() => undefined);
  const [first, second] = sentKeys();
  t.equal(first, second);
  t.equal((await store.loadKey())?.publicKey.keyId(), keyBefore);
});

t.test('when the server refuses the token, enrolment fails with the server code', async (t) => {
  const { server } = await stub(t);
  const error = await enrolDevice({ serverUrl: server.url, method: { ...token, token: 'stw_enrol_wrong' }, store: new IdentityStore(t.testdir({})) }).catch((e: unknown) => e);
  t.same(codeOf(error), { code: 'STW_DEVICE_ENROLMENT_FAILED', reason: 'refused', serverCode: 'STW_ENROLMENT_TOKEN_INVALID' });
});

/** A transport answering enrolment with whatever the test wants. */
function scripted(answer: (request: ApiRequest) => unknown): ApiTransport {
  return {
    send: async (request) => {
      const body = request.url.endsWith('/challenge') ? { challenge: Buffer.alloc(32, 1).toString('base64url'), expiresAt: '2099-01-01T00:00:00Z' } : answer(request);
      return { status: 201, headers: {}, body: Buffer.from(JSON.stringify(body)) };
    },
  };
}

t.test('when the trust bundle holds a root that is not self-signed, enrolment fails and nothing is kept', async (t) => {
  const { server, repository } = await stub(t);
  const store = new IdentityStore(t.testdir({}));
  const root = JSON.parse(Buffer.from(repository.metadata('root', 1)).toString());
  root.signed.version = 9; // signatures no longer cover it
  const transport = scripted(() => ({ deviceId: 'dev_1', serial: 'T100-000123', hardwareModel: 't100', trust: { imageRepositoryRoot: root, directorRoot: server.directorRoot.toJSON() }, endpoints: { metadataBaseUrl: '/m', targetBaseUrl: '/t', checkIn: '/c' } }));
  t.same(codeOf(await enrolDevice({ serverUrl: 'http://127.0.0.1:1', method: token, store, transport }).catch((e: unknown) => e)), { code: 'STW_DEVICE_ENROLMENT_FAILED', reason: 'trust-bundle', serverCode: undefined });
  t.equal(await store.load(), undefined);
});

t.test('when the server registers another serial or model than the token enrolment sent, enrolment fails', async (t) => {
  const { server, repository } = await stub(t);
  const root = JSON.parse(Buffer.from(repository.metadata('root', 1)).toString());
  const transport = scripted(() => ({ deviceId: 'dev_1', serial: 'T100-000123', hardwareModel: 't200', trust: { imageRepositoryRoot: root, directorRoot: server.directorRoot.toJSON() }, endpoints: { metadataBaseUrl: '/m', targetBaseUrl: '/t', checkIn: '/c' } }));
  const error = await enrolDevice({ serverUrl: 'http://127.0.0.1:1', method: token, store: new IdentityStore(t.testdir({})), transport }).catch((e: unknown) => e);
  t.same(codeOf(error), { code: 'STW_DEVICE_ENROLMENT_FAILED', reason: 'identity-mismatch', serverCode: undefined });
});

t.test('when the challenge is missing or too short, enrolment fails before anything is signed', async (t) => {
  const transport: ApiTransport = { send: async () => ({ status: 201, headers: {}, body: Buffer.from('{"challenge":"abc"}') }) };
  const error = await enrolDevice({ serverUrl: 'http://127.0.0.1:1', method: token, store: new IdentityStore(t.testdir({})), transport }).catch((e: unknown) => e);
  t.same(codeOf(error), { code: 'STW_DEVICE_ENROLMENT_FAILED', reason: 'challenge-invalid', serverCode: undefined });
});
