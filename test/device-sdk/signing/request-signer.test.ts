import t from 'tap';
import { createPrivateKey, verify } from 'node:crypto';
import { createVerifier, httpbis } from 'http-message-signatures';
import { DeviceKey, RequestSigner, contentDigest } from '../../../device-sdk/signing/index.js';

// A fixed Ed25519 key (RFC 8410 PKCS#8 around a 32-byte seed), a fixed clock and a fixed nonce.
const SEED = Buffer.alloc(32, 7);
const PEM = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), SEED]), format: 'der', type: 'pkcs8' })
  .export({ format: 'pem', type: 'pkcs8' })
  .toString();
const CREATED = new Date('2026-11-28T10:00:00.750Z');
const URL_ = 'http://127.0.0.1:8080/v1/devices/dev_1/check-in';
const BODY = Buffer.from('{"installed":[]}');

function fixedSigner(deviceId = 'dev_1', key = DeviceKey.fromPem(PEM)) {
  return new RequestSigner({ deviceId, key, now: () => CREATED, randomBytes: (size) => Buffer.alloc(size, 0xab) });
}

t.test('Content-Digest is the RFC 9530 sha-256 byte sequence (RFC 9530 appendix B vectors)', async (t) => {
  t.equal(contentDigest(Buffer.from('{"hello": "world"}')), 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:');
  t.equal(contentDigest(), 'sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:', 'a body-less request signs the empty body');
});

t.test('the signature input names exactly the components and parameters of protocol.md section 2', async (t) => {
  const headers = await fixedSigner().sign({ method: 'post', url: URL_, body: BODY });
  t.same(Object.keys(headers).sort(), ['content-digest', 'signature', 'signature-input']);
  t.equal(headers['content-digest'], contentDigest(BODY));
  const nonce = Buffer.alloc(16, 0xab).toString('base64url');
  t.equal(headers['signature-input'], `sig1=("@method" "@path" "content-digest");created=1795860000;nonce="${nonce}";keyid="dev_1";alg="ed25519"`);
  t.match(headers.signature, /^sig1=:[A-Za-z0-9+/]{86}==:$/, 'one 64-byte signature as a byte sequence');
});

t.test('the signature verifies over a signature base recomputed by hand (RFC 9421 2.5)', async (t) => {
  const key = DeviceKey.fromPem(PEM);
  const headers = await fixedSigner().sign({ method: 'POST', url: URL_, body: BODY });
  const input = headers['signature-input']!.slice('sig1='.length);
  const base = [
    `"@method": POST`,
    `"@path": /v1/devices/dev_1/check-in`,
    `"content-digest": ${contentDigest(BODY)}`,
    `"@signature-params": ${input}`,
  ].join('\n');
  const signature = Buffer.from(/^sig1=:(.*):$/.exec(headers.signature!)![1]!, 'base64');
  t.ok(verify(null, Buffer.from(base), key.publicKey.keyObject()!, signature), 'Ed25519 over the hand-built base');
  t.notOk(verify(null, Buffer.from(base.replace('POST', 'GET')), key.publicKey.keyObject()!, signature), 'another method does not verify');
  // Ed25519 is deterministic (RFC 8032 5.1.6): the same key, time and nonce give the same signature.
  t.equal((await fixedSigner().sign({ method: 'POST', url: URL_, body: BODY })).signature, headers.signature);
});

t.test("the package's own verifier accepts the request, and refuses it altered", async (t) => {
  const key = DeviceKey.fromPem(PEM);
  const headers = await fixedSigner().sign({ method: 'POST', url: URL_, body: BODY });
  const keyLookup = async (params: { keyid?: string }) =>
    params.keyid === 'dev_1' ? { id: 'dev_1', algs: ['ed25519'], verify: createVerifier(key.publicKey.keyObject()!, 'ed25519') } : null;
  const config = { keyLookup, requiredFields: ['@method', '@path', 'content-digest'], requiredParams: ['created', 'nonce', 'keyid', 'alg'], notAfter: new Date('2099-01-01') };
  t.equal(await httpbis.verifyMessage(config, { method: 'POST', url: URL_, headers }), true);
  t.equal(await httpbis.verifyMessage(config, { method: 'POST', url: URL_.replace('dev_1/check-in', 'dev_2/check-in'), headers }), false, 'another path');
  const otherDigest = { ...headers, 'content-digest': contentDigest(Buffer.from('{}')) };
  t.equal(await httpbis.verifyMessage(config, { method: 'POST', url: URL_, headers: otherDigest }), false, 'another body digest');
});

t.test("a request signed with another device's key does not verify under this device's key", async (t) => {
  const mine = DeviceKey.fromPem(PEM);
  const headers = await new RequestSigner({ deviceId: 'dev_1', key: DeviceKey.generate() }).sign({ method: 'POST', url: URL_, body: BODY });
  const keyLookup = async () => ({ id: 'dev_1', algs: ['ed25519'], verify: createVerifier(mine.publicKey.keyObject()!, 'ed25519') });
  t.equal(await httpbis.verifyMessage({ keyLookup }, { method: 'POST', url: URL_, headers }), false);
});

t.test('every request gets a fresh nonce and the clock of the moment', async (t) => {
  let now = new Date('2026-11-28T10:00:00Z');
  const signer = new RequestSigner({ deviceId: 'dev_1', key: DeviceKey.generate(), now: () => now });
  const first = await signer.sign({ method: 'GET', url: URL_ });
  now = new Date('2026-11-28T10:05:00Z');
  const second = await signer.sign({ method: 'GET', url: URL_ });
  const nonceOf = (input: string | undefined) => /nonce="([^"]+)"/.exec(input ?? '')?.[1];
  t.not(nonceOf(first['signature-input']), nonceOf(second['signature-input']));
  t.ok((nonceOf(first['signature-input'])?.length ?? 0) >= 22, '16 random bytes or more, base64url');
  t.equal(/created=(\d+)/.exec(second['signature-input']!)?.[1], String(now.getTime() / 1000));
});
