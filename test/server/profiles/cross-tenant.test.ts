// Cross-tenant: every /v1/merchants/{merchantId}... route, enumerated from the OpenAPI document,
// refuses merchant B on merchant A's path; on its own path, B cannot reach A's devices or changes.
import t from 'tap';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import { errorCode } from '../../helpers/server-harness.js';
import { startProfileWorld } from '../../helpers/profile-server.js';

interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
}

forEachKind(t, "merchant B can neither read nor change anything of merchant A's", async (t, kind) => {
  const world = await startProfileWorld(t, { database: kind });
  const [ana, bob] = [await world.operatorUser('ana'), await world.operatorUser('bob')];
  await world.merchant('MA');
  await world.merchant('MB');
  await world.seedProfile('MA', ana, bob);
  await world.seedProfile('MB', ana, bob, { merchant_name: 'Merchant B' });
  const device = await world.server.enrolWithToken({ serial: 'SN-A' });
  await world.as(world.server.operatorToken, 'PUT', `/v1/merchants/MA/terminals/${device.deviceId}`, { terminalId: 'T-A' });
  const alice = await world.merchantUser('MA', 'alice', ana);
  const change = (await world.as(alice.token, 'POST', '/v1/merchants/MA/profile/changes', { layer: 'merchant', patch: { fees: { debit: { rate_bps: 31 }, credit: { rate_bps: 120 } } } })).json<{ id: string }>();
  const intruders = { session: (await world.merchantUser('MB', 'mallory', ana)).token, apiToken: await world.merchantApiToken('MB') };

  const document = (await world.server.app.inject('/docs/json')).json<{ paths: Record<string, Record<string, unknown>> }>();
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    if (!path.startsWith('/v1/merchants/{merchantId}')) continue;
    for (const method of Object.keys(methods)) if (method !== 'head') operations.push({ method: method.toUpperCase() as Operation['method'], path });
  }
  t.ok(operations.length >= 17, `${operations.length} merchant operations: ${operations.map((operation) => `${operation.method} ${operation.path}`).join(', ')}`);
  const fill = (path: string, merchantId: string) =>
    path.replace('{merchantId}', merchantId).replace('{deviceId}', device.deviceId).replace('{changeId}', change.id).replace('{version}', '1');
  const query = (path: string) => (path.endsWith('/diff') ? '?from=0&to=1' : '');
  const snapshot = async () => {
    const { db } = world.server.database;
    return JSON.stringify([
      await db.selectFrom('profile_changes').selectAll().orderBy('id').execute(),
      await db.selectFrom('profile_versions').selectAll().orderBy('merchant_id').orderBy('version').execute(),
      await db.selectFrom('devices').select(['id', 'merchant_id', 'terminal_id']).orderBy('id').execute(),
      await db.selectFrom('merchants').selectAll().orderBy('id').execute(),
      await db.selectFrom('users').select(['id', 'tenant_id']).orderBy('id').execute(),
    ]);
  };
  const before = await snapshot();

  for (const [name, token] of Object.entries(intruders)) {
    for (const operation of operations) {
      const send = (merchantId: string) =>
        world.server.app.inject({ method: operation.method, url: fill(operation.path, merchantId) + query(operation.path), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"layer":"merchant","patch":{"receipt_header":["x"]},"terminalId":"T-B","reason":"x"}' });
      const label = `${operation.method} ${operation.path} (${name})`;
      t.equal(errorCode(await send('MA')), 'STW_AUTH_FORBIDDEN', `${label} on merchant A`);
      // On its own path, ids of A's device or change must look like nothing.
      if (operation.path.includes('{deviceId}') || operation.path.includes('{changeId}')) {
        const own = await send('MB');
        t.ok(own.statusCode === 404 || errorCode(own) === 'STW_AUTH_FORBIDDEN', `${label} with A's id on B's path: ${own.statusCode} ${errorCode(own)}`);
        t.notOk(own.body.includes(change.id) && own.statusCode < 300, 'nothing of A in the answer');
      }
    }
  }
  t.equal(await snapshot(), before, "nothing of A's (or anyone's) changed");
  const ownView = await world.as(intruders.session, 'GET', '/v1/merchants/MB/profile');
  t.equal(ownView.statusCode, 200, 'B still reads its own profile');
  t.notOk(ownView.body.includes('MA') || ownView.body.includes(device.deviceId), "and sees nothing of A's there");
  t.same((await world.as(intruders.session, 'GET', '/v1/merchants/MB/terminals')).json<{ terminals: unknown[] }>().terminals, [], "A's terminal is not in B's list");
});
