// An operator replaces a merchant's webhook secret: shown once, audited without it, used from the next attempt on.
import t from 'tap';
import { verifyWebhook, WebhookDispatcher, type WebhookFetch } from '../../../server/webhooks/index.js';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import { errorCode } from '../../helpers/server-harness.js';
import { startProfileWorld } from '../../helpers/profile-server.js';
import { enqueue } from './webhook-fixtures.js';

forEachKind(t, 'rotation: a new secret, shown once, audited without it, signing the pending retries', async (t, kind) => {
  const world = await startProfileWorld(t, { database: kind });
  const { server } = world;
  const url = 'https://hooks.example/M1';
  const oldSecret = await world.merchant('M1', { webhookUrl: url });
  const pending = await enqueue(server.database.db, 'M1', server.now);

  const rotated = await world.as(server.operatorToken, 'POST', '/v1/merchants/M1/webhook-secret');
  t.equal(rotated.statusCode, 200);
  const { webhookSecret: newSecret, merchant } = rotated.json<{ webhookSecret: string; merchant: { id: string } }>();
  t.equal(merchant.id, 'M1');
  t.match(newSecret, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  t.not(newSecret, oldSecret);
  t.equal(errorCode(await world.as(server.operatorToken, 'POST', '/v1/merchants/M9/webhook-secret')), 'STW_MERCHANT_UNKNOWN');
  t.equal(errorCode(await world.as(await world.merchantApiToken('M1'), 'POST', '/v1/merchants/M1/webhook-secret')), 'STW_AUTH_FORBIDDEN', 'not the merchant itself');

  const audit = (await world.as(server.operatorToken, 'GET', '/v1/audit?order=desc&limit=5')).json<{ entries: { action: string; subject: string }[] }>().entries;
  t.match(audit.find((entry) => entry.action === 'merchant.webhook-secret.rotated'), { subject: 'merchant:M1' }, 'audited');
  const auditText = JSON.stringify(audit);
  t.notOk(auditText.includes(newSecret) || auditText.includes(oldSecret), 'no secret in the audit log');
  t.notOk((await world.as(server.operatorToken, 'GET', '/v1/merchants/M1')).body.includes(newSecret), 'nor in the merchant record');

  let sent: { headers: Record<string, string>; body: Uint8Array } | undefined;
  const fetch: WebhookFetch = async (_url, init) => ((sent = { headers: init.headers, body: init.body }), new Response(null, { status: 204 }));
  t.match(await new WebhookDispatcher({ db: server.database.db, clock: () => server.now, fetch }).runOnce(server.now), { delivered: 1 });
  t.ok(sent, `notification ${pending} sent`);
  const request = { method: 'POST', url, headers: sent?.headers ?? {}, body: Buffer.from(sent?.body ?? new Uint8Array()) };
  t.match(await verifyWebhook(request, newSecret, { now: server.now }), { ok: true, merchantId: 'M1' }, 'the queued notification is signed with the new secret');
  t.match(await verifyWebhook(request, oldSecret, { now: server.now }), { ok: false }, 'the old secret no longer verifies');
});
