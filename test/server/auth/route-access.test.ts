// Every route, enumerated from the OpenAPI document, checks the token and the tenant.
import t from 'tap';
import { errorCode, initialiseRepository, startTestServer } from '../../helpers/server-harness.js';

interface Operation {
  method: string;
  url: string;
  access: string;
}

t.test('every /v1 route refuses missing, invalid, wrong-scope and wrong-tenant tokens', async (t) => {
  const server = await startTestServer(t);
  const repo = await initialiseRepository(server, { vendors: ['acme', 'globex'] });
  const document = (await server.app.inject('/docs/json')).json<{ paths: Record<string, Record<string, { 'x-access'?: string }>> }>();
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    if (!path.startsWith('/v1/')) continue;
    for (const [method, operation] of Object.entries(methods)) {
      if (method === 'head') continue;
      const url = path.replace('{vendorId}', 'acme').replace('{merchantId}', 'm-acme').replace(/\{[^}]+\}/g, 'x');
      operations.push({ method: method.toUpperCase(), url, access: operation['x-access'] ?? 'missing' });
    }
  }
  t.ok(operations.length >= 10, `found ${operations.length} operations`);
  t.same(operations.filter((operation) => operation.access === 'missing'), [], 'every route declares its access');

  const merchantToken = async (id: string) => {
    await server.app.inject({ method: 'POST', url: '/v1/merchants', headers: { authorization: `Bearer ${server.operatorToken}` }, payload: { id, name: id } });
    return (await server.app.inject({ method: 'POST', url: '/v1/operator/tokens', headers: { authorization: `Bearer ${server.operatorToken}` }, payload: { scope: `merchant:${id}`, label: id } })).json<{ token: string }>().token;
  };
  const merchants = { acme: await merchantToken('m-acme'), globex: await merchantToken('m-globex') };
  const send = (operation: Operation, token?: string) =>
    server.app.inject({ method: operation.method as 'GET', url: operation.url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' }, payload: '{}' });
  // `signed-in` routes take any valid token (they answer about the token itself).
  for (const operation of operations.filter((candidate) => candidate.access !== 'public' && candidate.access !== 'signed-in')) {
    const name = `${operation.method} ${operation.url}`;
    t.equal(errorCode(await send(operation)), 'STW_AUTH_REQUIRED', `${name} without a token`);
    t.equal(errorCode(await send(operation, 'stw_not-a-real-token')), 'STW_AUTH_INVALID', `${name} with an unknown token`);
    t.equal(errorCode(await send(operation, repo.vendors['globex']!.token)), 'STW_AUTH_FORBIDDEN', `${name} with another vendor's token`);
    if (operation.access === 'vendor') t.equal(errorCode(await send(operation, server.operatorToken)), 'STW_AUTH_FORBIDDEN', `${name} with an operator token`);
    if (operation.access === 'operator') t.equal(errorCode(await send(operation, repo.vendors['acme']!.token)), 'STW_AUTH_FORBIDDEN', `${name} with a vendor token`);
    t.equal(errorCode(await send(operation, merchants.globex)), 'STW_AUTH_FORBIDDEN', `${name} with another merchant's token`);
    if (operation.access === 'operator') t.equal(errorCode(await send(operation, merchants.acme)), 'STW_AUTH_FORBIDDEN', `${name} with a merchant token`);
  }
});

t.test('a revoked token stops working', async (t) => {
  const server = await startTestServer(t);
  const issued = (await server.app.inject({ method: 'POST', url: '/v1/operator/tokens', headers: { authorization: `Bearer ${server.operatorToken}` }, payload: { scope: 'operator', label: 'temp' } })).json<{ tokenId: string; token: string }>();
  t.equal((await server.app.inject({ url: '/v1/operator/vendors', headers: { authorization: `Bearer ${issued.token}` } })).statusCode, 200);
  t.equal((await server.app.inject({ method: 'DELETE', url: `/v1/operator/tokens/${issued.tokenId}`, headers: { authorization: `Bearer ${server.operatorToken}` } })).statusCode, 204);
  t.equal(errorCode(await server.app.inject({ url: '/v1/operator/vendors', headers: { authorization: `Bearer ${issued.token}` } })), 'STW_AUTH_INVALID');
});

t.test('tokens are stored only as hashes', async (t) => {
  const server = await startTestServer(t);
  const rows = await server.database.db.selectFrom('api_tokens').select(['token_hash']).execute();
  t.ok(rows.length > 0);
  for (const row of rows) {
    t.match(row.token_hash, /^[0-9a-f]{64}$/);
    t.not(row.token_hash, server.operatorToken);
  }
});
