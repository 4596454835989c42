/**
 * A merchant's terminals: the merchant (and operators) read them with their health and
 * profile versions; operators assign a device to a merchant with its terminal id (TID), or
 * take it away. A device of another merchant answers 404, exactly like no device.
 *
 * GET /v1/merchants/:merchantId/terminals; GET|PUT|DELETE /v1/merchants/:merchantId/terminals/:deviceId
 */
import type { FastifyPluginAsync } from 'fastify';
import { DEVICE_ID_PATTERN } from '../fleet/routes/fleet-schemas.js';
import { FLAG_NAMES } from '../fleet/check-in/health-flags.js';
import { MERCHANT_ID_PATTERN, profileErrors } from '../profiles/profile-schemas.js';
import type { ProfileServices } from '../profiles/profile-services.js';
import { assignTerminal, merchantTerminal, merchantTerminals, unassignTerminal } from './merchant-terminals.js';
import { getMerchant } from './merchants.js';

const nullableString = { type: ['string', 'null'] } as const;
const terminalSchema = {
  type: 'object',
  properties: {
    deviceId: { type: 'string' }, terminalId: nullableString, serial: { type: 'string' }, hardwareModel: { type: 'string' }, status: { type: 'string' },
    firmwareVersion: nullableString, profileVersion: { type: ['integer', 'null'] }, lastSeenAt: nullableString,
    health: { type: ['object', 'null'], additionalProperties: true }, flags: { type: 'array', items: { type: 'string', enum: FLAG_NAMES } },
  },
} as const;
const params = {
  type: 'object',
  required: ['merchantId', 'deviceId'],
  properties: { merchantId: { type: 'string', pattern: MERCHANT_ID_PATTERN }, deviceId: { type: 'string', pattern: DEVICE_ID_PATTERN } },
} as const;

export const merchantTerminalRoutes: FastifyPluginAsync<{ profiles: ProfileServices; offlineBefore: () => string }> = async (app, { profiles, offlineBefore }) => {
  const { db, clock } = profiles;

  app.get<{ Params: { merchantId: string }; Querystring: { after?: string; limit: number } }>(
    '/v1/merchants/:merchantId/terminals',
    {
      config: { access: 'operator-or-merchant' },
      schema: {
        tags: ['merchants'],
        summary: "The merchant's terminals: TID, model, firmware and profile versions, health flags, last seen",
        params: { type: 'object', required: ['merchantId'], properties: { merchantId: params.properties.merchantId } },
        querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'string', maxLength: 80 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } } },
        response: { 200: { type: 'object', properties: { terminals: { type: 'array', items: terminalSchema }, next: nullableString } }, ...profileErrors },
      },
    },
    async (request) => {
      await getMerchant(db, request.params.merchantId);
      return merchantTerminals(db, request.params.merchantId, offlineBefore(), request.query);
    },
  );

  app.get<{ Params: { merchantId: string; deviceId: string } }>(
    '/v1/merchants/:merchantId/terminals/:deviceId',
    { config: { access: 'operator-or-merchant' }, schema: { tags: ['merchants'], summary: 'One terminal of the merchant', params, response: { 200: terminalSchema, ...profileErrors } } },
    async (request) => merchantTerminal(db, request.params.merchantId, request.params.deviceId, offlineBefore()),
  );

  app.put<{ Params: { merchantId: string; deviceId: string }; Body: { terminalId: string } }>(
    '/v1/merchants/:merchantId/terminals/:deviceId',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['merchants'],
        summary: 'Assign the device to the merchant with its terminal id (TID, unique within the merchant)',
        params,
        body: { type: 'object', required: ['terminalId'], additionalProperties: false, properties: { terminalId: { type: 'string', minLength: 1, maxLength: 64 } } },
        response: { 200: terminalSchema, ...profileErrors },
      },
    },
    async (request) => {
      const { merchantId, deviceId } = request.params;
      await assignTerminal(db, { merchantId, deviceId, terminalId: request.body.terminalId }, request.principal?.actor ?? 'system', clock());
      return merchantTerminal(db, merchantId, deviceId, offlineBefore());
    },
  );

  app.delete<{ Params: { merchantId: string; deviceId: string } }>(
    '/v1/merchants/:merchantId/terminals/:deviceId',
    { config: { access: 'operator' }, schema: { tags: ['merchants'], summary: 'Take the device away from the merchant (it receives no profile)', params, response: { 204: { type: 'null' }, ...profileErrors } } },
    async (request, reply) => {
      await unassignTerminal(db, request.params.merchantId, request.params.deviceId, request.principal?.actor ?? 'system', clock());
      return reply.code(204).send();
    },
  );
};
