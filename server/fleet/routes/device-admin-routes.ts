/**
 * Operator routes over enrolled devices: list (by flag, model, merchant, status, firmware),
 * show, assign, disable / enable, mark swapped-out, allow a re-key, history, and the fleet
 * summary.
 */
import type { FastifyPluginAsync } from 'fastify';
import { requestActor } from '../../auth/authenticate.js';
import type { FlagName } from '../check-in/health-flags.js';
import { FLAG_NAMES } from '../check-in/health-flags.js';
import { deviceHistory } from '../devices/device-history.js';
import { fleetSummary } from '../devices/fleet-summary.js';
import type { DeviceStatus } from '../fleet-tables.js';
import type { FleetServices } from '../fleet-services.js';
import { deviceParams, deviceViewSchema, errorResponses, historySchema, summarySchema } from './fleet-schemas.js';

interface ListQuery {
  flag?: FlagName;
  hardwareModel?: string;
  merchantId?: string;
  status?: DeviceStatus;
  firmwareVersion?: string;
  after?: string;
  limit: number;
}

const short = { type: 'string', minLength: 1, maxLength: 64 } as const;

const STATUS_CHANGES = [
  { path: 'disable', change: 'disable', summary: 'Disable the device: its requests are refused (403) until enabled' },
  { path: 'enable', change: 'enable', summary: 'Enable a disabled device' },
  { path: 'swapped-out', change: 'swap-out', summary: 'Mark the device swapped out: refused for good; its serial may enrol again as a new device' },
] as const;

export const deviceAdminRoutes: FastifyPluginAsync<{ fleet: FleetServices }> = async (app, { fleet }) => {
  const { devices } = fleet;

  app.get<{ Querystring: ListQuery }>(
    '/v1/operator/devices',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operator'],
        summary: 'Devices, filtered (e.g. ?flag=paper-out), in pages of `limit` (pass `next` as `after`)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            flag: { type: 'string', enum: FLAG_NAMES },
            hardwareModel: short,
            merchantId: short,
            status: { type: 'string', enum: ['active', 'disabled', 'swapped-out'] },
            firmwareVersion: short,
            after: { type: 'string', maxLength: 80 },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
        response: { 200: { type: 'object', properties: { devices: { type: 'array', items: deviceViewSchema }, next: { type: ['string', 'null'] } } }, ...errorResponses },
      },
    },
    async (request) => devices.list(request.query),
  );

  app.get(
    '/v1/operator/fleet/summary',
    { config: { access: 'operator' }, schema: { tags: ['operator'], summary: 'Devices by status, model and firmware version; health flag counts', response: { 200: summarySchema, ...errorResponses } } },
    async () => fleetSummary(fleet.db, devices.offlineBefore()),
  );

  app.get<{ Params: { deviceId: string } }>(
    '/v1/operator/devices/:deviceId',
    { config: { access: 'operator' }, schema: { tags: ['operator'], summary: 'One device: identity, assignment, latest report, flags', params: deviceParams, response: { 200: deviceViewSchema, ...errorResponses } } },
    async (request) => devices.get(request.params.deviceId),
  );

  app.patch<{ Params: { deviceId: string }; Body: { merchantId?: string | null; tags?: string[]; timeZone?: string } }>(
    '/v1/operator/devices/:deviceId',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operator'],
        summary: "Assign the device: merchant, tags, time zone (the merchant's IANA zone, for maintenance windows)",
        params: deviceParams,
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            merchantId: { type: ['string', 'null'], minLength: 1, maxLength: 64 },
            tags: { type: 'array', maxItems: 32, items: short },
            timeZone: { type: 'string', minLength: 1, maxLength: 64 },
          },
        },
        response: { 200: deviceViewSchema, ...errorResponses },
      },
    },
    async (request) => devices.assign(request.params.deviceId, request.body, requestActor(request)),
  );

  for (const { path, change, summary } of STATUS_CHANGES) {
    app.post<{ Params: { deviceId: string } }>(
      `/v1/operator/devices/:deviceId/${path}`,
      { config: { access: 'operator' }, schema: { tags: ['operator'], summary, params: deviceParams, response: { 200: deviceViewSchema, ...errorResponses } } },
      async (request) => devices.changeStatus(request.params.deviceId, change, requestActor(request)),
    );
  }

  app.post<{ Params: { deviceId: string } }>(
    '/v1/operator/devices/:deviceId/rekey',
    {
      config: { access: 'operator' },
      schema: { tags: ['operator'], summary: 'Allow the next enrolment of this serial to register a new device key (same device id)', params: deviceParams, response: { 200: deviceViewSchema, ...errorResponses } },
    },
    async (request) => devices.allowRekey(request.params.deviceId, requestActor(request)),
  );

  app.get<{ Params: { deviceId: string }; Querystring: { limit: number; before?: string } }>(
    '/v1/operator/devices/:deviceId/history',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operator'],
        summary: 'Check-ins and update / profile events of the device, newest first',
        params: deviceParams,
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, before: { type: 'string', format: 'date-time' } } },
        response: { 200: historySchema, ...errorResponses },
      },
    },
    async (request) => deviceHistory(fleet.db, request.params.deviceId, { limit: request.query.limit, before: request.query.before === undefined ? undefined : new Date(request.query.before).toISOString() }),
  );
};
