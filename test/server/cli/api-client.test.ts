import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { ApiClient, CliError } from '../../../server/cli/index.js';
import { makeWorkDir } from './cli-harness.js';

function answering(status: number, body: string): (input: string, init: RequestInit) => Promise<Response> {
  return async () => new Response(body, { status, headers: { 'content-type': 'application/json' } });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return error instanceof CliError ? error.code : 'not a CliError';
  }
  return undefined;
}

async function listen(t: Test, handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

t.test("a server error keeps the server's code", async (t) => {
  const api = new ApiClient({ baseUrl: 'http://127.0.0.1:1', token: 'stw_x', fetch: answering(409, JSON.stringify({ error: { code: 'STW_REPO_VERSION_NOT_INCREASED', message: 'no' } })) });
  t.equal(await codeOf(api.request('PUT', '/v1/repository/targets', { json: {} })), 'STW_REPO_VERSION_NOT_INCREASED');
});

t.test('an answer that is not a Steward error is STW_CLI_SERVER_RESPONSE', async (t) => {
  t.equal(await codeOf(new ApiClient({ baseUrl: 'http://x', token: 'stw_x', fetch: answering(502, '<html>bad gateway</html>') }).request('GET', '/')), 'STW_CLI_SERVER_RESPONSE');
  t.equal(await codeOf(new ApiClient({ baseUrl: 'http://x', token: 'stw_x', fetch: answering(400, '{"error":{"code":"EVIL","message":"x"}}') }).request('GET', '/')), 'STW_CLI_SERVER_RESPONSE', 'an unknown code is not passed off as ours');
  t.equal(await codeOf(new ApiClient({ baseUrl: 'http://x', token: 'stw_x', fetch: answering(200, 'not json') }).request('GET', '/')), 'STW_CLI_SERVER_RESPONSE');
});

t.test('a server that cannot be reached is STW_CLI_SERVER_UNREACHABLE', async (t) => {
  const refused = new ApiClient({ baseUrl: 'http://x', token: 'stw_x', fetch: () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })) });
  t.equal(await codeOf(refused.request('GET', '/v1/operator/vendors')), 'STW_CLI_SERVER_UNREACHABLE');
});

t.test('absent metadata is undefined, and public reads send no token', async (t) => {
  const seen: Array<Record<string, string>> = [];
  const api = new ApiClient({
    baseUrl: 'http://x/',
    fetch: async (input, init) => {
      seen.push({ url: input, ...(init.headers as Record<string, string>) });
      return new Response(JSON.stringify({ error: { code: 'STW_NOT_FOUND', message: 'none' } }), { status: 404 });
    },
  });
  t.equal(await api.metadata('acme.json'), undefined);
  t.equal(seen[0]?.['url'], 'http://x/v1/repository/metadata/acme.json');
  t.equal(seen[0]?.['authorization'], undefined);
});

t.test('a request that needs a token without one is a usage error', async (t) => {
  t.equal(await codeOf(new ApiClient({ baseUrl: 'http://x', fetch: answering(200, '{}') }).request('GET', '/v1/operator/vendors')), 'STW_CLI_USAGE');
});

t.test('an upload streams the file with its length and returns the answer', async (t) => {
  const work = makeWorkDir(t);
  const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
  writeFileSync(work.path('big.bin'), bytes);
  const url = await listen(t, (request, response) => {
    const hash = createHash('sha256');
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      length += chunk.length;
    });
    request.on('end', () => {
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sha256: hash.digest('hex'), length, declared: request.headers['content-length'], type: request.headers['content-type'] }));
    });
  });
  const progress: number[] = [];
  const answer = await new ApiClient({ baseUrl: url, token: 'stw_x' }).upload<{ sha256: string; length: number; declared: string; type: string }>('/up', work.path('big.bin'), bytes.length, (sent) => progress.push(sent));
  t.same(answer, { sha256: createHash('sha256').update(bytes).digest('hex'), length: bytes.length, declared: String(bytes.length), type: 'application/octet-stream' });
  t.equal(progress.at(-1), bytes.length, 'progress reaches the whole file');
  t.ok(progress.every((value, index) => index === 0 || value > (progress[index - 1] ?? 0)), 'progress only grows');
});

t.test('when the server refuses an upload before reading it, its error is reported', async (t) => {
  const work = makeWorkDir(t);
  writeFileSync(work.path('big.bin'), Buffer.alloc(8 * 1024 * 1024, 1));
  const url = await listen(t, (_request, response) => {
    response.writeHead(401, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ error: { code: 'STW_AUTH_INVALID', message: 'the token is not valid' } }));
  });
  t.equal(await codeOf(new ApiClient({ baseUrl: url, token: 'stw_x' }).upload('/up', work.path('big.bin'), 8 * 1024 * 1024, () => {})), 'STW_AUTH_INVALID');
});

t.test('an upload of a file that cannot be read is STW_CLI_FILE_UNREADABLE', async (t) => {
  const url = await listen(t, (request, response) => {
    request.resume();
    request.on('end', () => response.end('{}'));
  });
  t.equal(await codeOf(new ApiClient({ baseUrl: url, token: 'stw_x' }).upload('/up', '/nonexistent/fw.bin', 10, () => {})), 'STW_CLI_FILE_UNREADABLE');
});
