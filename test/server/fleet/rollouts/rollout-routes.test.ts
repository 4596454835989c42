// The operator's rollout API over inject(): create, read, act, history, and refusals.
import t, { type Test } from 'tap';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { Kysely } from 'kysely';
import type { Database } from '../../../../server/db/schema.js';
import { stewardErrorHandler } from '../../../../server/http/error-handler.js';
import { createRolloutPlanner, rolloutRoutes } from '../../../../server/fleet/rollouts/index.js';
import { forEachDatabase } from '../../../helpers/databases.js';
import { at, device, FW_120, rollbackEvents, seedFirmware, successEvents, T0 } from './rollout-fixtures.js';

const planner = createRolloutPlanner();

const accesses: { url: string; access: unknown }[] = [];

async function app(t: Test, db: Kysely<Database>, clock: () => Date = () => T0): Promise<FastifyInstance> {
  const instance = Fastify();
  instance.addHook('onRoute', (route) => void accesses.push({ url: route.url, access: route.config?.access }));
  instance.setErrorHandler(stewardErrorHandler);
  await instance.register(swagger, { openapi: { info: { title: 'test', version: '1' } } });
  await instance.register(rolloutRoutes, { db, clock, planner });
  await instance.ready();
  t.teardown(() => instance.close());
  return instance;
}

const code = (response: { json: () => unknown }) => (response.json() as { error?: { code?: string } }).error?.code;

const threePhases = {
  targetPath: FW_120,
  label: 'October firmware',
  selector: { hardwareModels: ['t100'] },
  phases: [
    { kind: 'count', value: 2, advance: 'manual' },
    { kind: 'percent', value: 12.5, successThreshold: 0.9 },
    { kind: 'percent', value: 100 },
  ],
  maintenanceWindow: { start: '23:00', end: '05:00' },
  abort: { minAttempted: 3, failureRatio: 0.5 },
  silentTimeoutSeconds: 7200,
  retry: { maxAttempts: 2, backoffSeconds: 600 },
};

t.test('create, read, list, act on and page through a rollout', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    let now = T0;
    const api = await app(t, db, () => now);
    const created = await api.inject({ method: 'POST', url: '/v1/operator/rollouts', payload: threePhases });
    t.equal(created.statusCode, 201, created.body);
    const view = created.json();
    t.match(view.id, /^rol_[0-9a-f-]{36}$/);
    t.match(view, {
      label: 'October firmware',
      targetPath: FW_120,
      release: { component: 'firmware', version: '1.2.0', hardwareIds: ['t100'] },
      status: 'active',
      currentPhase: 0,
      selector: { hardwareModels: ['t100'] },
      maintenanceWindow: { start: '23:00', end: '05:00' },
      abort: { minAttempted: 3, failureRatio: 0.5 },
      silentTimeoutSeconds: 7200,
      retry: { maxAttempts: 2, backoffSeconds: 600 },
      totals: { admitted: 0, attempted: 0, failureRatio: null, abortArmed: false },
      states: { offered: 0, succeeded: 0, 'cancel-acknowledged': 0 },
    });
    t.match(view.phases, [
      { index: 0, kind: 'count', value: 2, advance: 'manual', minAttempted: 2, successThreshold: 0.95, startedAt: T0.toISOString() },
      { index: 1, kind: 'percent', value: 12.5, advance: 'auto', successThreshold: 0.9, minAttempted: 10, startedAt: null },
      { index: 2, kind: 'percent', value: 100 },
    ]);

    await planner.planFor(db, device('a'), T0);
    await planner.planFor(db, device('b'), T0);
    await planner.recordEvents(db, 'a', successEvents(view.id), at(5));
    await planner.recordEvents(db, 'b', rollbackEvents(view.id), at(6));
    now = at(100);
    const read = (await api.inject({ url: `/v1/operator/rollouts/${view.id}` })).json();
    t.match(read.phases[0], { admitted: 2, attempted: 2, succeeded: 1, failed: 1, successRatio: 0.5 });
    t.match(read.totals, { attempted: 2, failed: 1, failureRatio: 0.5, abortArmed: false });
    t.match(read.states, { succeeded: 1, 'rolled-back': 1, offered: 0 });

    const paused = await api.inject({ method: 'POST', url: `/v1/operator/rollouts/${view.id}/pause`, payload: { reason: 'bank holiday' } });
    t.equal(paused.json().status, 'paused');
    t.equal(code(await api.inject({ method: 'POST', url: `/v1/operator/rollouts/${view.id}/pause` })), 'STW_ROLLOUT_STATE_CONFLICT', 'already paused');
    t.equal(code(await api.inject({ method: 'POST', url: `/v1/operator/rollouts/${view.id}/advance` })), 'STW_ROLLOUT_STATE_CONFLICT', 'a paused rollout does not advance');
    t.equal((await api.inject({ method: 'POST', url: `/v1/operator/rollouts/${view.id}/resume` })).json().status, 'active', 'a bare POST');

    const advanced = await api.inject({ method: 'POST', url: `/v1/operator/rollouts/${view.id}/advance`, payload: { fromPhase: 0 } });
    t.equal(advanced.json().currentPhase, 1);
    const again = await api.inject({ method: 'POST', url: `/v1/operator/rollouts/${view.id}/advance`, payload: { fromPhase: 0 } });
    t.equal(again.statusCode, 409, 'a repeated click does not skip a phase');
    t.match(again.json().error.details, { currentPhase: 1, fromPhase: 0 });

    const list = (await api.inject({ url: '/v1/operator/rollouts?status=active' })).json();
    t.same(list.rollouts.map((item: { id: string }) => item.id), [view.id]);
    t.same((await api.inject({ url: '/v1/operator/rollouts?status=cancelled' })).json().rollouts, []);

    t.equal((await api.inject({ method: 'POST', url: `/v1/operator/rollouts/${view.id}/cancel`, payload: {} })).json().status, 'cancelled');
    t.equal(code(await api.inject({ method: 'POST', url: `/v1/operator/rollouts/${view.id}/resume` })), 'STW_ROLLOUT_STATE_CONFLICT');

    const page1 = (await api.inject({ url: `/v1/operator/rollouts/${view.id}/history?limit=3` })).json();
    t.same(page1.events.map((e: { kind: string }) => e.kind), ['created', 'offered', 'offered']);
    t.type(page1.next, 'string');
    const all = (await api.inject({ url: `/v1/operator/rollouts/${view.id}/history?limit=1000` })).json();
    const kinds = all.events.map((e: { kind: string }) => e.kind);
    t.same(kinds.slice(-4), ['paused', 'resumed', 'advanced', 'cancelled']);
    t.same(all.events.find((e: { kind: string }) => e.kind === 'paused').detail, { reason: 'bank holiday' });
    t.equal(all.next, null);
    const page2 = (await api.inject({ url: `/v1/operator/rollouts/${view.id}/history?limit=3&after=${page1.next}` })).json();
    t.same(page2.events, all.events.slice(3, 6), 'the next page continues where the first stopped');
    const forB = (await api.inject({ url: `/v1/operator/rollouts/${view.id}/history?deviceId=b` })).json();
    t.ok(forB.events.every((e: { deviceId: string }) => e.deviceId === 'b'));
    t.match(forB.events.at(-1), { kind: 'rolled-back', actor: 'device', code: 'STW_DEVICE_HEALTH_CHECK_FAILED', phase: 0 });
  });
});

t.test('refusals: unknown release or rollout, plans that make no sense, malformed bodies', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    await seedFirmware(db);
    const api = await app(t, db);
    const create = (patch: Record<string, unknown>) => api.inject({ method: 'POST', url: '/v1/operator/rollouts', payload: { ...threePhases, ...patch } });
    t.equal(code(await create({ targetPath: 'acme/nope.bin' })), 'STW_ROLLOUT_RELEASE_UNKNOWN');
    t.equal(code(await create({ phases: [{ kind: 'percent', value: 50 }, { kind: 'percent', value: 20 }] })), 'STW_ROLLOUT_INVALID', 'percentages go down');
    t.equal(code(await create({ phases: [{ kind: 'percent', value: 0.001 }] })), 'STW_ROLLOUT_INVALID', 'finer than a basis point');
    t.equal(code(await create({ phases: [{ kind: 'percent', value: 120 }] })), 'STW_ROLLOUT_INVALID');
    t.equal(code(await create({ phases: [{ kind: 'count', value: 2.5 }] })), 'STW_ROLLOUT_INVALID');
    t.equal(code(await create({ selector: { hardwareModels: ['t900'] } })), 'STW_ROLLOUT_INVALID', 'the release does not run on t900');
    t.equal(code(await create({ maintenanceWindow: { start: '02:00', end: '02:00' } })), 'STW_ROLLOUT_INVALID');
    t.equal(code(await create({ maintenanceWindow: { start: '24:00', end: '02:00' } })), 'STW_REQUEST_INVALID');
    t.equal(code(await create({ phases: [] })), 'STW_REQUEST_INVALID');
    t.equal(code(await create({ abort: { failureRatio: 1.5 } })), 'STW_REQUEST_INVALID');
    t.equal(code(await create({ selector: { tags: [] } })), 'STW_REQUEST_INVALID', 'an empty list would mean nobody');
    t.equal(code(await api.inject({ url: '/v1/operator/rollouts/rol_missing' })), 'STW_ROLLOUT_NOT_FOUND');
    t.equal(code(await api.inject({ method: 'POST', url: '/v1/operator/rollouts/rol_missing/cancel' })), 'STW_ROLLOUT_NOT_FOUND');
    t.equal(code(await api.inject({ url: '/v1/operator/rollouts/rol_missing/history' })), 'STW_ROLLOUT_NOT_FOUND');
    t.equal((await db.selectFrom('rollouts').select('id').execute()).length, 0, 'nothing was created');
  });
});

t.test('every rollout route is in the OpenAPI document with its access policy and a response schema', async (t) => {
  await forEachDatabase(t, async (t, { db }) => {
    const api = await app(t, db);
    const document = api.swagger() as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));
    t.equal(operations.length, 8);
    for (const { path, method, operation } of operations) {
      t.ok(path.startsWith('/v1/operator/rollouts'), path);
      t.ok(operation.responses?.['200'] ?? operation.responses?.['201'], `${method} ${path} documents its answer`);
    }
    const ours = accesses.filter((route) => route.url.startsWith('/v1/'));
    t.ok(ours.length >= 8);
    t.same(ours.filter((route) => route.access !== 'operator'), [], 'every route is for operators');
  });
});
