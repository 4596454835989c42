/**
 * The operator's rollout API (all routes `access: 'operator'`):
 *
 *   POST /v1/operator/rollouts                        create (201)
 *   GET  /v1/operator/rollouts?status=&limit=         list, newest first
 *   GET  /v1/operator/rollouts/:rolloutId             one, with per-phase progress and state counts
 *   POST /v1/operator/rollouts/:rolloutId/pause       active -> paused
 *   POST /v1/operator/rollouts/:rolloutId/resume      paused -> active
 *   POST /v1/operator/rollouts/:rolloutId/cancel      active | paused | completed -> cancelled
 *   POST /v1/operator/rollouts/:rolloutId/advance     next phase (or completed after the last)
 *   GET  /v1/operator/rollouts/:rolloutId/history?after=&deviceId=&limit=
 *
 * @example
 * await app.register(rolloutRoutes, { db, clock });
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { stewardError } from '../../errors.js';
import { errorResponses } from '../../repository/routes/schemas.js';
import { createRollout } from './create-rollout.js';
import { listHistory } from './rollout-history.js';
import type { RolloutPlanner } from './rollout-planner.js';
import { AdvanceBody, CreateRolloutSchema, HistoryPageSchema, ReasonBody, RolloutParams, RolloutStatusSchema, RolloutViewSchema } from './rollout-schemas.js';
import { advancePhase, changeStatus, type StatusChange } from './rollout-status.js';
import { getRollout, listRollouts, type RolloutView } from './rollout-view.js';

export interface RolloutRoutesOptions {
  readonly db: Kysely<Database>;
  readonly clock: () => Date;
  /** The planner check-ins use; these routes need none (accepted so the fleet wiring passes one set of options). */
  readonly planner?: RolloutPlanner;
}

const tags = ['rollouts'];

export const rolloutRoutes: FastifyPluginAsyncTypebox<RolloutRoutesOptions> = async (app, { db, clock }) => {
  // The action routes take an optional body: a bare POST validates as `{}`.
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && request.body === undefined) request.body = {};
  });

  const found = async (id: string, states = true): Promise<RolloutView> => {
    const view = await getRollout(db, id, { states });
    if (!view) throw stewardError('STW_ROLLOUT_NOT_FOUND', `no rollout ${id}`, { rolloutId: id });
    return view;
  };

  app.post(
    '/v1/operator/rollouts',
    { config: { access: 'operator' }, schema: { tags, summary: 'Start a rollout of a published release', body: CreateRolloutSchema, response: { 201: RolloutViewSchema, ...errorResponses } } },
    async (request, reply) => reply.code(201).send(await createRollout(db, request.body, clock())),
  );

  app.get(
    '/v1/operator/rollouts',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        summary: 'Rollouts, newest first',
        querystring: Type.Object({ status: Type.Optional(RolloutStatusSchema), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        response: { 200: Type.Object({ rollouts: Type.Array(RolloutViewSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ rollouts: await listRollouts(db, { status: request.query.status, limit: request.query.limit }) }),
  );

  app.get(
    '/v1/operator/rollouts/:rolloutId',
    { config: { access: 'operator' }, schema: { tags, summary: 'One rollout: phases with counters, failure ratio against the abort threshold, devices per state', params: RolloutParams, response: { 200: RolloutViewSchema, ...errorResponses } } },
    async (request) => found(request.params.rolloutId),
  );

  const actions: { change: StatusChange; summary: string }[] = [
    { change: 'pause', summary: 'Pause: no new offers; devices already offered carry on' },
    { change: 'resume', summary: 'Resume a paused rollout' },
    { change: 'cancel', summary: 'Cancel: no more offers; devices with an unfinished offer are told to drop it and acknowledge' },
  ];
  for (const { change, summary } of actions) {
    app.post(
      `/v1/operator/rollouts/:rolloutId/${change}`,
      { config: { access: 'operator' }, schema: { tags, summary, params: RolloutParams, body: ReasonBody, response: { 200: RolloutViewSchema, ...errorResponses } } },
      async (request) => {
        const { rolloutId } = request.params;
        const detail = request.body.reason === undefined ? undefined : { reason: request.body.reason };
        if (!(await changeStatus(db, rolloutId, change, clock(), 'operator', detail))) {
          const view = await found(rolloutId, false);
          throw stewardError('STW_ROLLOUT_STATE_CONFLICT', `cannot ${change} a rollout that is ${view.status}`, { status: view.status });
        }
        return found(rolloutId);
      },
    );
  }

  app.post(
    '/v1/operator/rollouts/:rolloutId/advance',
    { config: { access: 'operator' }, schema: { tags, summary: 'Move an active rollout to its next phase (completes it after the last)', params: RolloutParams, body: AdvanceBody, response: { 200: RolloutViewSchema, ...errorResponses } } },
    async (request) => {
      const { rolloutId } = request.params;
      const view = await found(rolloutId, false);
      const fromPhase = request.body.fromPhase ?? view.currentPhase;
      if (view.status !== 'active' || fromPhase !== view.currentPhase || !(await advancePhase(db, rolloutId, fromPhase, clock(), 'operator'))) {
        const now = await found(rolloutId, false);
        throw stewardError('STW_ROLLOUT_STATE_CONFLICT', `rollout is ${now.status} in phase ${now.currentPhase}`, { status: now.status, currentPhase: now.currentPhase, fromPhase });
      }
      return found(rolloutId);
    },
  );

  app.get(
    '/v1/operator/rollouts/:rolloutId/history',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        summary: 'The rollout history, in recording order: operator actions, offers, retries, silences, phase changes, device events with their codes',
        params: RolloutParams,
        querystring: Type.Object({ after: Type.Optional(Type.String({ maxLength: 100 })), deviceId: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: { 200: HistoryPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      await found(request.params.rolloutId, false);
      return listHistory(db, request.params.rolloutId, request.query);
    },
  );
};
