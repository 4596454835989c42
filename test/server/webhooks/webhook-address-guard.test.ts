// Webhooks go only to public addresses unless private networks are allowed; checked where the socket connects.
import t from 'tap';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookDispatcher } from '../../../server/webhooks/index.js';
import { isPublicAddress } from '../../../server/webhooks/webhook-address-guard.js';
import { postWebhook } from '../../../server/webhooks/webhook-post.js';
import { webhookTransport } from '../../../server/webhooks/webhook-transport.js';
import { forEachDatabase } from '../../helpers/databases.js';
import { addMerchant, deliveryRow, enqueue, T0 } from './webhook-fixtures.js';

t.test('special-purpose ranges are not public, ordinary unicast is', async (t) => {
  const refused = [
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '192.0.2.10', '198.51.100.1', '203.0.113.7', '198.18.0.1', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '2001:db8::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe',
    'not-an-address', '',
  ];
  for (const address of refused) t.notOk(isPublicAddress(address), `${address || '(empty)'} refused`);
  for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700::1111', '2a00:1450::1', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
    t.ok(isPublicAddress(address), `${address} allowed`);
  }
});

t.test('the transport refuses loopback by IP literal and by name, and sends when allowed', async (t) => {
  let received = 0;
  const server = createServer((request, response) => {
    received++;
    request.resume();
    response.statusCode = 204;
    response.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const post = (allowPrivateNetworks: boolean, host: string) =>
    postWebhook(webhookTransport({ allowPrivateNetworks }), { url: `http://${host}:${port}/hook`, headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') }, 2000);

  t.same(await post(false, '127.0.0.1'), { kind: 'failed', error: 'url refused: not a public address' }, 'an IP literal is checked before sending');
  t.same(await post(false, 'localhost'), { kind: 'failed', error: 'url refused: not a public address' }, 'a name is checked on the address it resolves to');
  t.same(await post(false, '[::ffff:127.0.0.1]'), { kind: 'failed', error: 'url refused: not a public address' }, 'an IPv4-mapped IPv6 literal too');
  t.equal(received, 0, 'nothing reached the receiver');
  t.same(await post(true, '127.0.0.1'), { kind: 'answered', status: 204 }, 'allowed: sent');
  t.same(await post(true, 'localhost'), { kind: 'answered', status: 204 });
  t.equal(received, 2);
});

t.test('by default the dispatcher records a refused address as a failed attempt, without the address', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await addMerchant(db, 'M1', 'http://169.254.169.254/latest/meta-data/');
    const id = await enqueue(db, 'M1');
    t.match(await new WebhookDispatcher({ db, clock: () => T0 }).runOnce(T0), { due: 1, failed: 1 });
    const row = await deliveryRow(db, id);
    t.match(row, { attempts: 1, delivered_at: null, last_error: 'url refused: not a public address' });
    t.notMatch(String(row.last_error), /169\.254/, 'the stored error does not name the address');
  });
});

t.test('a receiver cannot crash the server or leave a delivery pending with an odd answer', async (t) => {
  const answers = ['HTTP/1.1 999 Odd\r\ncontent-length: 0\r\n\r\n', 'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n', ''];
  const { createServer: createTcpServer } = await import('node:net');
  let next = 0;
  const server = createTcpServer((socket) => {
    const answer = answers[next++] ?? '';
    socket.once('data', () => (answer === '' ? socket.destroy() : socket.end(answer)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const post = () => postWebhook(webhookTransport({ allowPrivateNetworks: true }), { url, headers: {}, body: Buffer.from('{}') }, 2000);
  t.same(await post(), { kind: 'failed', error: 'answer refused: status 999' }, 'a status outside 200-599');
  t.same(await post(), { kind: 'failed', error: 'answer refused: status 101' }, 'a protocol upgrade');
  t.match(await post(), { kind: 'failed', error: /^connection failed: / }, 'a connection closed without an answer');
});
