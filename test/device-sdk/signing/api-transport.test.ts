import t, { type Test } from 'tap';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeviceError } from '../../../device-sdk/errors.js';
import { DeviceKey, exchangeJson, FetchApiTransport, RequestSigner } from '../../../device-sdk/signing/index.js';

async function server(t: Test, handler: (request: IncomingMessage, body: Buffer, response: ServerResponse) => void): Promise<string> {
  const http = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks), response));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => (http.closeAllConnections(), http.close(() => resolve()))));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

function details(error: unknown): unknown {
  return error instanceof DeviceError ? { code: error.code, ...error.details } : error;
}

t.test('a signed JSON request carries its body, digest and signature headers', async (t) => {
  let seen: { headers: IncomingMessage['headers']; body: string } | undefined;
  const url = await server(t, (request, body, response) => {
    seen = { headers: request.headers, body: body.toString() };
    response.writeHead(200, { 'content-type': 'application/json', etag: '"abc"' }).end('{"ok":true}');
  });
  const signer = new RequestSigner({ deviceId: 'dev_1', key: DeviceKey.generate() });
  const response = await exchangeJson(new FetchApiTransport(), { method: 'POST', url: `${url}/v1/devices/dev_1/check-in`, json: { a: 1 }, signer });
  t.equal(response.status, 200);
  t.equal(response.headers.etag, '"abc"', 'header names are lower-case');
  t.equal(seen?.body, '{"a":1}');
  t.equal(seen?.headers['content-type'], 'application/json');
  t.match(seen?.headers['signature-input'], /^sig1=\("@method" "@path" "content-digest"\);created=\d+;nonce="[A-Za-z0-9_-]{22}";keyid="dev_1";alg="ed25519"$/);
  t.match(seen?.headers['content-digest'], /^sha-256=:[A-Za-z0-9+/]{43}=:$/);
});

t.test('a refusal carries the status and the server error code', async (t) => {
  const url = await server(t, (_request, _body, response) => {
    response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"STW_DEVICE_REPLAYED","message":"again"}}');
  });
  const error = await exchangeJson(new FetchApiTransport(), { method: 'POST', url, json: {} }).catch((e: unknown) => e);
  t.match(details(error), { code: 'STW_DEVICE_HTTP_STATUS', status: 401, serverCode: 'STW_DEVICE_REPLAYED' });
});

t.test('statuses the caller accepts are returned, not thrown', async (t) => {
  const url = await server(t, (_request, _body, response) => response.writeHead(304).end());
  t.equal((await exchangeJson(new FetchApiTransport(), { method: 'POST', url, json: {}, accept: [200, 304] })).status, 304);
});

t.test('an answer larger than the cap is refused', async (t) => {
  const url = await server(t, (_request, _body, response) => response.writeHead(200).end(Buffer.alloc(4096, 0x41)));
  const error = await new FetchApiTransport({ maxResponseBytes: 1024 }).send({ method: 'GET', url, headers: {} }).catch((e: unknown) => e);
  t.match(details(error), { code: 'STW_DEVICE_TOO_LARGE', maxLength: 1024 });
});

t.test('a server that does not answer in time is a timeout', async (t) => {
  const url = await server(t, () => {}); // never answers
  const error = await new FetchApiTransport({ timeoutMs: 50 }).send({ method: 'GET', url, headers: {} }).catch((e: unknown) => e);
  t.match(details(error), { code: 'STW_DEVICE_FETCH_TIMEOUT' });
});

t.test('nothing listening is a fetch failure', async (t) => {
  const error = await new FetchApiTransport().send({ method: 'GET', url: 'http://127.0.0.1:9/', headers: {} }).catch((e: unknown) => e);
  t.match(details(error), { code: 'STW_DEVICE_FETCH_FAILED' });
});
