/**
 * The routes terminals call (protocol.md): enrolment challenge and enrolment (unauthenticated:
 * the body carries the proofs), and the signed check-in whose answer is the director document.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { CheckInRequest } from '../check-in/check-in-request.js';
import { checkInRequestSchema } from '../check-in/check-in-request.js';
import { entityTags } from '../director/director-service.js';
import type { EnrolmentRequest } from '../enrolment/enrolment-request.js';
import { enrolmentRequestSchema } from '../enrolment/enrolment-request.js';
import type { FleetServices } from '../fleet-services.js';
import { deviceParams, errorResponses, errorSchema } from './fleet-schemas.js';

const ENROL_BODY_LIMIT = 64 * 1024; // bytes: five PEM certificates and some

const enrolledSchema = {
  type: 'object',
  description: 'The device id and trust bundle (protocol.md 1.2)',
  properties: {
    deviceId: { type: 'string' },
    serial: { type: 'string' },
    hardwareModel: { type: 'string' },
    trust: { type: 'object', properties: { imageRepositoryRoot: { type: 'object', additionalProperties: true }, directorRoot: { type: 'object', additionalProperties: true } } },
    endpoints: { type: 'object', properties: { metadataBaseUrl: { type: 'string' }, targetBaseUrl: { type: 'string' }, checkIn: { type: 'string' } } },
  },
} as const;

export const deviceRoutes: FastifyPluginAsync<{ fleet: FleetServices }> = async (app, { fleet }) => {
  app.post(
    '/v1/devices/enrolment/challenge',
    {
      config: { access: 'public' },
      schema: {
        tags: ['devices'],
        summary: 'A single-use enrolment challenge (protocol.md 1.1)',
        response: { 201: { type: 'object', required: ['challenge', 'expiresAt'], properties: { challenge: { type: 'string' }, expiresAt: { type: 'string' } } }, ...errorResponses },
      },
    },
    async (_request, reply) => reply.code(201).send(await fleet.enrolment.challenge()),
  );

  app.post<{ Body: EnrolmentRequest }>(
    '/v1/devices/enrol',
    {
      config: { access: 'public' },
      bodyLimit: ENROL_BODY_LIMIT,
      schema: { tags: ['devices'], summary: 'Enrol by manufacturing certificate or enrolment token (protocol.md 1.2)', body: enrolmentRequestSchema, response: { 201: enrolledSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const enrolled = await fleet.enrolment.enrol(request.body);
      const head = { deviceId: enrolled.deviceId, serial: enrolled.serial, hardwareModel: enrolled.hardwareModel };
      const endpoints = { metadataBaseUrl: '/v1/repository/metadata', targetBaseUrl: '/v1/repository/targets', checkIn: `/v1/devices/${enrolled.deviceId}/check-in` };
      // The roots go out byte for byte as stored.
      const body = `${JSON.stringify(head).slice(0, -1)},"trust":{"imageRepositoryRoot":${enrolled.imageRepositoryRoot},"directorRoot":${enrolled.directorRoot}},"endpoints":${JSON.stringify(endpoints)}}`;
      return reply.code(201).type('application/json; charset=utf-8').send(body);
    },
  );

  app.post<{ Params: { deviceId: string }; Body: CheckInRequest }>(
    '/v1/devices/:deviceId/check-in',
    {
      config: { access: 'device' },
      bodyLimit: fleet.config.maxCheckInBytes,
      schema: {
        tags: ['devices'],
        summary: 'Check in (signed, RFC 9421); the answer is the director document, or 304 when If-None-Match names it (protocol.md 3)',
        params: deviceParams,
        body: checkInRequestSchema,
        response: {
          200: { type: 'object', properties: { director: { type: 'object', additionalProperties: true }, pollIntervalSeconds: { type: 'integer' } } },
          304: { type: 'null', description: 'the device holds the current director document' },
          ...errorResponses,
          403: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const device = request.device;
      if (!device) throw new Error('device route reached without an authenticated device');
      const answer = await fleet.checkIns.checkIn(device, request.body, entityTags(request.headers['if-none-match']));
      void reply.header('cache-control', 'no-store');
      if (answer.kind === 'not-modified') return reply.code(304).header('etag', `"${answer.head.etag}"`).send();
      const { document } = answer;
      return reply
        .header('etag', `"${document.etag}"`)
        .type('application/json; charset=utf-8')
        .send(`{"director":${document.body},"pollIntervalSeconds":${fleet.checkIns.pollIntervalSeconds}}`);
    },
  );
};
