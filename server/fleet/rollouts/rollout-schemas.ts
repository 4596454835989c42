/**
 * JSON schemas of the rollout routes (TypeBox: request types come from them through the
 * Fastify type provider, and they document the API in the OpenAPI document at /docs).
 */
import { Type } from '@fastify/type-provider-typebox';

const CLOCK_TIME = '^(?:[01]\\d|2[0-3]):[0-5]\\d$';
const Names = (maxItems: number) => Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems });
const Ratio = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: 1, description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const RolloutStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal('completed'), Type.Literal('aborted'), Type.Literal('cancelled')]);

export const SelectorSchema = Type.Object(
  {
    hardwareModels: Type.Optional(Names(100)),
    tags: Type.Optional(Names(100)),
    merchantIds: Type.Optional(Names(1000)),
    deviceIds: Type.Optional(Names(10_000)),
  },
  { additionalProperties: false, description: 'AND between kinds, OR within a kind; omitted kinds match every device' },
);

export const PhaseInputSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('percent'), Type.Literal('count')]),
    value: Type.Number({ exclusiveMinimum: 0, description: 'percent: cumulative share of the selected devices (0 < v <= 100, two decimals); count: devices added by this phase' }),
    advance: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('manual')], { default: 'auto' })),
    successThreshold: Type.Optional(Ratio('succeeded / attempted at which an auto phase advances (default 0.95)')),
    minAttempted: Type.Optional(Type.Integer({ minimum: 1, description: 'attempts before the ratio counts (default: the count of a count phase, 10 for a percent phase)' })),
  },
  { additionalProperties: false },
);

export const WindowSchema = Type.Object(
  { start: Type.String({ pattern: CLOCK_TIME }), end: Type.String({ pattern: CLOCK_TIME }) },
  { additionalProperties: false, description: "local HH:MM in each device's merchant time zone; end before start spans midnight" },
);

export const CreateRolloutSchema = Type.Object(
  {
    targetPath: Type.String({ minLength: 1, maxLength: 500, description: 'a published release' }),
    label: Type.Optional(Type.String({ maxLength: 200 })),
    selector: Type.Optional(SelectorSchema),
    phases: Type.Array(PhaseInputSchema, { minItems: 1, maxItems: 20 }),
    maintenanceWindow: Type.Optional(WindowSchema),
    abort: Type.Optional(
      Type.Object(
        {
          minAttempted: Type.Optional(Type.Integer({ minimum: 1, description: 'default 10' })),
          failureRatio: Type.Optional(Ratio('failed / attempted over all phases that aborts the rollout (default 0.2)')),
        },
        { additionalProperties: false },
      ),
    ),
    silentTimeoutSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 30 * 86_400, description: 'no news this long after an offer counts as failed (default 172800)' })),
    retry: Type.Optional(
      Type.Object(
        {
          maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'offers in all (default 1: no retry)' })),
          backoffSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 86_400, description: 'before the first retry, doubled for each further one (default 3600)' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const CountersSchema = {
  admitted: Type.Integer(),
  attempted: Type.Integer(),
  succeeded: Type.Integer(),
  failed: Type.Integer({ description: 'devices whose current outcome is a failure (timed-out included)' }),
  timedOut: Type.Integer(),
};

export const PhaseViewSchema = Type.Object({
  index: Type.Integer(),
  kind: Type.Union([Type.Literal('percent'), Type.Literal('count')]),
  value: Type.Number(),
  advance: Type.Union([Type.Literal('auto'), Type.Literal('manual')]),
  successThreshold: Type.Number(),
  minAttempted: Type.Integer(),
  ...CountersSchema,
  successRatio: Nullable(Type.Number()),
  startedAt: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
});

const STATE_NAMES = ['offered', 'downloading', 'installing', 'succeeded', 'failed', 'rolled-back', 'cancelled', 'cancel-acknowledged'];

export const RolloutViewSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  targetPath: Type.String(),
  release: Type.Object({ component: Type.String(), version: Type.String(), hardwareIds: Type.Array(Type.String()) }),
  status: RolloutStatusSchema,
  currentPhase: Type.Integer(),
  selector: SelectorSchema,
  maintenanceWindow: Nullable(WindowSchema),
  abort: Type.Object({ minAttempted: Type.Integer(), failureRatio: Type.Number() }),
  silentTimeoutSeconds: Type.Integer(),
  retry: Type.Object({ maxAttempts: Type.Integer(), backoffSeconds: Type.Integer() }),
  phases: Type.Array(PhaseViewSchema),
  totals: Type.Object({ ...CountersSchema, failureRatio: Nullable(Type.Number()), abortArmed: Type.Boolean({ description: 'attempted has reached abort.minAttempted' }) }),
  states: Type.Optional(Type.Object(Object.fromEntries(STATE_NAMES.map((state) => [state, Type.Integer()])), { description: 'devices per progress state' })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  endedAt: Nullable(Type.String({ description: 'when it completed, was aborted or cancelled' })),
});

export const HistoryPageSchema = Type.Object({
  events: Type.Array(
    Type.Object({
      id: Type.String(),
      at: Type.String(),
      kind: Type.String(),
      actor: Type.Union([Type.Literal('operator'), Type.Literal('device'), Type.Literal('server')]),
      deviceId: Nullable(Type.String()),
      phase: Nullable(Type.Integer()),
      code: Nullable(Type.String()),
      detail: Nullable(Type.Object({}, { additionalProperties: true })),
    }),
  ),
  next: Nullable(Type.String({ description: 'pass as `after` for the next page' })),
});

export const RolloutParams = Type.Object({ rolloutId: Type.String({ minLength: 1, maxLength: 100 }) });
export const ReasonBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const AdvanceBody = Type.Object(
  { fromPhase: Type.Optional(Type.Integer({ minimum: 0, description: 'advance only if still in this phase (a repeated click does not skip one)' })), reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
