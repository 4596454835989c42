/**
 * Reads the server's answer to `POST /v1/devices/enrol` (protocol.md 1.2) into a
 * `DeviceIdentity`. Both roots of the trust bundle must be valid self-signed TUF roots, and
 * whatever the terminal already knows about itself (a token enrolment's serial and model)
 * must be what the server registered.
 */
import { DeviceError } from '../errors.js';
import type { DeviceKey } from '../signing/index.js';
import { readTrustedRoot, type DeviceIdentity } from './device-identity.js';

export function readEnrolmentAnswer(
  body: unknown,
  context: { serverUrl: string; key: DeviceKey; expected: { serial?: string | undefined; hardwareModel?: string | undefined } },
): DeviceIdentity {
  const answer = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const trust = (answer.trust ?? {}) as Record<string, unknown>;
  const endpoints = (answer.endpoints ?? {}) as Record<string, unknown>;
  const deviceId = text(answer.deviceId, 'deviceId');
  const serial = text(answer.serial, 'serial');
  const hardwareModel = text(answer.hardwareModel, 'hardwareModel');
  for (const [field, value] of [['serial', serial], ['hardwareModel', hardwareModel]] as const) {
    const expected = context.expected[field];
    if (expected !== undefined && expected !== value) {
      throw new DeviceError('STW_DEVICE_ENROLMENT_FAILED', `the server registered ${field} ${value}, the terminal is ${expected}`, {
        details: { reason: 'identity-mismatch', field, expected, actual: value },
      });
    }
  }
  return {
    deviceId,
    serial,
    hardwareModel,
    serverUrl: context.serverUrl,
    endpoints: {
      metadataBaseUrl: text(endpoints.metadataBaseUrl, 'endpoints.metadataBaseUrl'),
      targetBaseUrl: text(endpoints.targetBaseUrl, 'endpoints.targetBaseUrl'),
      checkIn: text(endpoints.checkIn, 'endpoints.checkIn'),
    },
    imageRepositoryRoot: readTrustedRoot(trust.imageRepositoryRoot, 'image repository root'),
    directorRoot: readTrustedRoot(trust.directorRoot, 'director root'),
    key: context.key,
  };
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new DeviceError('STW_DEVICE_ENROLMENT_FAILED', `the enrolment answer has no ${field}`, { details: { reason: 'answer-invalid', field } });
  }
  return value;
}
