/**
 * What a terminal is once enrolled (protocol.md 1.2): its device id, serial and hardware
 * model, its Ed25519 device key, the two trust roots of its bundle (the image repository's
 * root and the director's root, both TUF `root.json`), and the endpoints it was given.
 */
import { loadTrustedRoot, type JsonObject, type Metadata, type Root } from '../../manifests/index.js';
import { DeviceError } from '../errors.js';
import type { DeviceKey } from '../signing/index.js';

export interface DeviceEndpoints {
  /** Paths (or absolute URLs) as the server gave them, resolved against the server URL. */
  readonly metadataBaseUrl: string;
  readonly targetBaseUrl: string;
  readonly checkIn: string;
}

export interface TrustedRootCopy {
  readonly metadata: Metadata<Root>;
  /** The bytes as received: what the TUF store is initialised with. */
  readonly bytes: Buffer;
}

export interface DeviceIdentity {
  readonly deviceId: string;
  readonly serial: string;
  readonly hardwareModel: string;
  /** The server's base URL the endpoints are resolved against. */
  readonly serverUrl: string;
  readonly endpoints: DeviceEndpoints;
  readonly imageRepositoryRoot: TrustedRootCopy;
  readonly directorRoot: TrustedRootCopy;
  readonly key: DeviceKey;
}

/** An endpoint as an absolute URL. */
export function endpointUrl(identity: Pick<DeviceIdentity, 'serverUrl'>, endpoint: string): string {
  return new URL(endpoint, identity.serverUrl.endsWith('/') ? identity.serverUrl : `${identity.serverUrl}/`).toString();
}

/** A root from the trust bundle: it must be signed by a threshold of its own root keys (TUF 5.2). */
export function readTrustedRoot(value: unknown, what: string): TrustedRootCopy {
  const bytes = Buffer.from(JSON.stringify(value), 'utf8');
  try {
    return { metadata: loadTrustedRoot(bytes), bytes };
  } catch (cause) {
    throw new DeviceError('STW_DEVICE_ENROLMENT_FAILED', `the ${what} in the trust bundle is not a valid self-signed root`, { cause, details: { reason: 'trust-bundle', root: what } });
  }
}

/** The JSON persisted for an identity (the key is kept apart, as PEM). */
export function identityToJson(identity: DeviceIdentity): JsonObject {
  return {
    schema: 1,
    device_id: identity.deviceId,
    serial: identity.serial,
    hardware_model: identity.hardwareModel,
    server_url: identity.serverUrl,
    endpoints: { metadata_base_url: identity.endpoints.metadataBaseUrl, target_base_url: identity.endpoints.targetBaseUrl, check_in: identity.endpoints.checkIn },
    trust: {
      image_repository_root: JSON.parse(identity.imageRepositoryRoot.bytes.toString('utf8')) as JsonObject,
      director_root: JSON.parse(identity.directorRoot.bytes.toString('utf8')) as JsonObject,
    },
  };
}

export function identityFromJson(value: unknown, key: DeviceKey): DeviceIdentity {
  const wire = value as {
    schema?: unknown;
    device_id?: unknown;
    serial?: unknown;
    hardware_model?: unknown;
    server_url?: unknown;
    endpoints?: { metadata_base_url?: unknown; target_base_url?: unknown; check_in?: unknown };
    trust?: { image_repository_root?: unknown; director_root?: unknown };
  };
  const text = (field: unknown, name: string): string => {
    if (typeof field !== 'string' || field === '') throw new DeviceError('STW_DEVICE_STATE_INVALID', `the stored identity has no ${name}`, { details: { field: name } });
    return field;
  };
  if (wire.schema !== 1) throw new DeviceError('STW_DEVICE_STATE_INVALID', 'the stored identity has an unknown schema');
  return {
    deviceId: text(wire.device_id, 'device_id'),
    serial: text(wire.serial, 'serial'),
    hardwareModel: text(wire.hardware_model, 'hardware_model'),
    serverUrl: text(wire.server_url, 'server_url'),
    endpoints: {
      metadataBaseUrl: text(wire.endpoints?.metadata_base_url, 'endpoints.metadata_base_url'),
      targetBaseUrl: text(wire.endpoints?.target_base_url, 'endpoints.target_base_url'),
      checkIn: text(wire.endpoints?.check_in, 'endpoints.check_in'),
    },
    imageRepositoryRoot: storedRoot(wire.trust?.image_repository_root, 'image repository root'),
    directorRoot: storedRoot(wire.trust?.director_root, 'director root'),
    key,
  };
}

function storedRoot(value: unknown, what: string): TrustedRootCopy {
  try {
    return readTrustedRoot(value, what);
  } catch (cause) {
    throw new DeviceError('STW_DEVICE_STATE_INVALID', `the stored ${what} is not valid`, { cause });
  }
}
