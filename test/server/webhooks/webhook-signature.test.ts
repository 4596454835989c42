import t from 'tap';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createVerifier, httpbis } from 'http-message-signatures';
import { signWebhook, verifyWebhook, type WebhookHeaders } from '../../../server/webhooks/index.js';
import { webhookKey } from '../../../server/webhooks/webhook-signature-format.js';
import { RFC_B25, RFC_SHARED_SECRET, signatureBase } from './rfc9421-base.js';

const SECRET = Buffer.alloc(32, 0x5a).toString('base64url');
const OTHER_SECRET = Buffer.alloc(32, 0x33).toString('base64url');
const URL_ = 'http://127.0.0.1:8443/hooks/steward?source=tms';
const BODY = Buffer.from('{"id":"whk_1","event":"profile.published","merchant_id":"M1","created_at":"2026-12-01T10:00:00.000Z","data":{"version":3}}');
const NOW = new Date('2026-12-01T10:00:00.000Z');
const NONCE = Buffer.alloc(16, 0xab).toString('base64url');

function sign(overrides: { secret?: string; now?: Date; url?: string; body?: Buffer } = {}): Promise<WebhookHeaders> {
  return signWebhook(
    { url: overrides.url ?? URL_, body: overrides.body ?? BODY },
    { merchantId: 'M1', secret: overrides.secret ?? SECRET },
    { now: overrides.now ?? NOW, randomBytes: (size) => Buffer.alloc(size, 0xab) },
  );
}

function verify(headers: Record<string, string>, overrides: { body?: Buffer | string; url?: string; method?: string; now?: Date; merchantId?: string; secret?: string } = {}) {
  return verifyWebhook(
    { method: overrides.method ?? 'POST', url: overrides.url ?? URL_, headers, body: overrides.body ?? BODY },
    overrides.secret ?? SECRET,
    { now: overrides.now ?? NOW, ...(overrides.merchantId === undefined ? {} : { merchantId: overrides.merchantId }) },
  );
}

const codeOf = (result: Awaited<ReturnType<typeof verify>>) => (result.ok ? 'ok' : result.code);

t.test('the hand-written RFC 9421 2.5 signature base reproduces the RFC B.2.5 hmac-sha256 example exactly', async (t) => {
  const base = signatureBase(RFC_B25.components, RFC_B25.signatureParams);
  t.equal(createHmac('sha256', RFC_SHARED_SECRET).update(base).digest('base64'), RFC_B25.signature);
});

t.test('the headers name exactly the components and parameters of a Steward webhook', async (t) => {
  const headers = await sign();
  t.same(Object.keys(headers).sort(), ['content-digest', 'content-type', 'signature', 'signature-input']);
  t.equal(headers['content-type'], 'application/json');
  t.equal(headers['content-digest'], `sha-256=:${sha256Base64(BODY)}:`);
  t.equal(
    headers['signature-input'],
    `webhook=("@method" "@target-uri" "content-digest" "content-type");created=1796119200;nonce="${NONCE}";keyid="merchant:M1";alg="hmac-sha256";tag="steward-webhook"`,
  );
  t.match(headers.signature, /^webhook=:[A-Za-z0-9+/]{43}=:$/, 'one 32-byte HMAC as a byte sequence');
});

t.test('the signature is HMAC-SHA256 with the raw secret bytes over a base recomputed by hand (RFC 9421 2.5, 3.3.3)', async (t) => {
  const headers = await sign();
  const params = headers['signature-input'].slice('webhook='.length);
  const base = signatureBase(
    [
      ['@method', 'POST'],
      ['@target-uri', URL_],
      ['content-digest', headers['content-digest']],
      ['content-type', 'application/json'],
    ],
    params,
  );
  const expected = createHmac('sha256', Buffer.from(SECRET, 'base64url')).update(base).digest('base64');
  t.equal(headers.signature, `webhook=:${expected}:`);
  // HMAC is deterministic: the same secret, time and nonce give the same signature.
  t.equal((await sign()).signature, headers.signature);
});

t.test("the http-message-signatures package's own hmac-sha256 verifier accepts it, and refuses it altered", async (t) => {
  const headers = await sign();
  const keyLookup = async (params: { keyid?: string }) =>
    params.keyid === 'merchant:M1' ? { id: 'merchant:M1', algs: ['hmac-sha256'], verify: createVerifier(Buffer.from(SECRET, 'base64url'), 'hmac-sha256') } : null;
  const config = { keyLookup, requiredFields: ['@method', '@target-uri', 'content-digest', 'content-type'], requiredParams: ['created', 'nonce', 'keyid', 'alg', 'tag'], notAfter: new Date('2099-01-01') };
  t.equal(await httpbis.verifyMessage(config, { method: 'POST', url: URL_, headers: { ...headers } }), true);
  t.equal(await httpbis.verifyMessage(config, { method: 'POST', url: URL_.replace('tms', 'other'), headers: { ...headers } }), false, 'another target URI');
  t.equal(await httpbis.verifyMessage(config, { method: 'POST', url: URL_, headers: { ...headers, 'content-type': 'text/plain' } }), false, 'another content type');
});

t.test('verifyWebhook accepts a fresh, untouched webhook and says who signed it', async (t) => {
  const result = await verify({ ...(await sign()) });
  t.same(result, { ok: true, merchantId: 'M1', created: NOW, nonce: NONCE });
  t.equal(codeOf(await verify({ ...(await sign()) }, { merchantId: 'M1' })), 'ok', 'with the expected merchant');
  t.equal(codeOf(await verify({ ...(await sign()) }, { body: BODY.toString('utf8') })), 'ok', 'the body as a UTF-8 string');
  const upper = Object.fromEntries(Object.entries(await sign()).map(([name, value]) => [name.toUpperCase(), value]));
  t.equal(codeOf(await verify(upper)), 'ok', 'field names in any case');
});

t.test('when the body was altered after signing, the digest does not match', async (t) => {
  const headers = { ...(await sign()) };
  t.equal(codeOf(await verify(headers, { body: Buffer.from(BODY.toString().replace('"version":3', '"version":4')) })), 'STW_WEBHOOK_DIGEST_MISMATCH');
  t.equal(codeOf(await verify(headers, { body: Buffer.alloc(0) })), 'STW_WEBHOOK_DIGEST_MISMATCH', 'an emptied body');
});

t.test('when the Content-Digest was replaced to match an altered body, the signature does not match', async (t) => {
  const altered = Buffer.from('{"id":"whk_1","event":"profile.published","data":{"version":4}}');
  const headers = { ...(await sign()), 'content-digest': `sha-256=:${sha256Base64(altered)}:` };
  t.equal(codeOf(await verify(headers, { body: altered })), 'STW_WEBHOOK_SIGNATURE_INVALID');
});

t.test('when it was signed with another secret, the signature does not match', async (t) => {
  t.equal(codeOf(await verify({ ...(await sign({ secret: OTHER_SECRET })) })), 'STW_WEBHOOK_SIGNATURE_INVALID');
});

t.test('when created is older (or newer) than maxAgeSeconds, it has expired', async (t) => {
  const headers = { ...(await sign()) };
  t.equal(codeOf(await verify(headers, { now: new Date(NOW.getTime() + 300_000) })), 'ok', 'exactly 300 s old is still accepted');
  t.equal(codeOf(await verify(headers, { now: new Date(NOW.getTime() + 301_000) })), 'STW_WEBHOOK_SIGNATURE_EXPIRED');
  t.equal(codeOf(await verify(headers, { now: new Date(NOW.getTime() - 301_000) })), 'STW_WEBHOOK_SIGNATURE_EXPIRED', 'created in the future');
  const short = await verifyWebhook({ method: 'POST', url: URL_, headers, body: BODY }, SECRET, { now: new Date(NOW.getTime() + 61_000), maxAgeSeconds: 60 });
  t.equal(codeOf(short), 'STW_WEBHOOK_SIGNATURE_EXPIRED', 'a shorter window');
});

t.test('when the request went elsewhere or by another method, the signature does not match', async (t) => {
  const headers = { ...(await sign()) };
  t.equal(codeOf(await verify(headers, { url: 'http://127.0.0.1:8443/hooks/other?source=tms' })), 'STW_WEBHOOK_SIGNATURE_INVALID');
  t.equal(codeOf(await verify(headers, { method: 'PUT' })), 'STW_WEBHOOK_SIGNATURE_INVALID');
  t.equal(codeOf(await verify(headers, { url: '/hooks/steward' })), 'STW_WEBHOOK_SIGNATURE_INVALID', 'a relative URL');
  t.equal(codeOf(await verify({ ...(await sign({ url: 'HTTP://127.0.0.1:8443/hooks/steward?source=tms' })) })), 'ok', 'the URL is normalised on both sides');
});

t.test('when the signature names another merchant than expected, it is refused', async (t) => {
  t.equal(codeOf(await verify({ ...(await sign()) }, { merchantId: 'M2' })), 'STW_WEBHOOK_SIGNATURE_INVALID');
});

t.test('when there is no signature, or none tagged steward-webhook, it is missing', async (t) => {
  t.equal(codeOf(await verify({ 'content-type': 'application/json' })), 'STW_WEBHOOK_SIGNATURE_MISSING');
  const headers = await sign();
  const untagged = { ...headers, 'signature-input': headers['signature-input'].replace(';tag="steward-webhook"', ';tag="other-app"') };
  t.equal(codeOf(await verify(untagged)), 'STW_WEBHOOK_SIGNATURE_MISSING');
});

t.test("another application's signature next to ours is ignored", async (t) => {
  const headers = await sign();
  const other = createHmac('sha256', randomBytes(32)).update('x').digest('base64');
  const both = {
    ...headers,
    'signature-input': `proxy=("@method");created=1796119200;keyid="proxy";tag="other-app", ${headers['signature-input']}`,
    signature: `proxy=:${other}:, ${headers.signature}`,
  };
  t.equal(codeOf(await verify(both)), 'ok');
});

t.test('parameters or components other than those Steward signs with are refused', async (t) => {
  const headers = await sign();
  const input = headers['signature-input'];
  const cases: Record<string, string> = {
    'another alg': input.replace('alg="hmac-sha256"', 'alg="ed25519"'),
    'a keyid that is not merchant:<id>': input.replace('keyid="merchant:M1"', 'keyid="M1"'),
    'a short nonce': input.replace(NONCE, 'abc'),
    'no content-type component': input.replace(' "content-type"', ''),
    'no nonce': input.replace(`;nonce="${NONCE}"`, ''),
  };
  for (const [name, value] of Object.entries(cases)) {
    t.equal(codeOf(await verify({ ...headers, 'signature-input': value })), 'STW_WEBHOOK_SIGNATURE_INVALID', name);
  }
  t.equal(codeOf(await verify({ ...headers, signature: 'webhook=not a byte sequence' })), 'STW_WEBHOOK_SIGNATURE_INVALID', 'a malformed Signature');
  t.equal(codeOf(await verify({ ...headers, signature: headers.signature.replace('webhook=', 'other=') })), 'STW_WEBHOOK_SIGNATURE_INVALID', 'no signature for the input');
  const twice = { ...headers, 'signature-input': `${input}, ${input.replace('webhook=', 'again=')}`, signature: `${headers.signature}, ${headers.signature.replace('webhook=', 'again=')}` };
  t.equal(codeOf(await verify(twice)), 'STW_WEBHOOK_SIGNATURE_INVALID', 'two steward-webhook signatures');
});

t.test('a secret that is not base64url of 32 bytes or more is refused on both sides', async (t) => {
  for (const secret of ['', 'c2hvcnQ', Buffer.alloc(31).toString('base64url'), `${Buffer.alloc(32).toString('base64url')}!`]) {
    t.throws(() => webhookKey(secret), { code: 'STW_WEBHOOK_SECRET_INVALID' });
    await t.rejects(sign({ secret }), { code: 'STW_WEBHOOK_SECRET_INVALID' });
    await t.rejects(verify({ ...(await sign()) }, { secret }), { code: 'STW_WEBHOOK_SECRET_INVALID' });
  }
  t.equal(webhookKey(SECRET).length, 32);
});

function sha256Base64(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64');
}
