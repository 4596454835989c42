/**
 * JSON requests over an `ApiTransport`, signed or not, and the reading of the server's
 * error envelope (`{ "error": { "code": "STW_...", "message": ... } }`, protocol.md).
 * A non-2xx answer other than those the caller accepts becomes `STW_DEVICE_HTTP_STATUS`
 * with the status and the server's code in `details`.
 *
 * @example
 * const response = await exchangeJson(transport, { method: 'POST', url, json: body, signer, accept: [200, 304] });
 */
import { DeviceError } from '../errors.js';
import type { ApiResponse, ApiTransport } from './api-transport.js';
import type { RequestSigner } from './request-signer.js';

export interface JsonRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: string;
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Signs the request (protocol.md section 2) when given. */
  readonly signer?: RequestSigner;
  /** Statuses returned rather than thrown; default any 2xx. */
  readonly accept?: readonly number[];
  /** Largest answer body accepted, bytes; the transport refuses more while reading (STW_DEVICE_TOO_LARGE). */
  readonly maxResponseBytes?: number;
}

export async function exchangeJson(transport: ApiTransport, request: JsonRequest): Promise<ApiResponse> {
  const body = request.json === undefined ? undefined : Buffer.from(JSON.stringify(request.json), 'utf8');
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (request.signer) Object.assign(headers, await request.signer.sign({ method: request.method, url: request.url, body }));
  const response = await transport.send({ method: request.method, url: request.url, headers, body, maxResponseBytes: request.maxResponseBytes });
  const accepted = request.accept ? request.accept.includes(response.status) : response.status >= 200 && response.status < 300;
  if (!accepted) throw refused(request, response);
  return response;
}

/** The JSON body of an answer, or STW_DEVICE_HTTP_STATUS when it is not JSON. */
export function jsonBody(response: ApiResponse, url: string): unknown {
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch (cause) {
    throw new DeviceError('STW_DEVICE_HTTP_STATUS', `the answer from ${url} is not JSON`, { cause, details: { url, status: response.status } });
  }
}

function refused(request: JsonRequest, response: ApiResponse): DeviceError {
  const serverCode = serverErrorCode(response);
  return new DeviceError('STW_DEVICE_HTTP_STATUS', `${request.method} ${request.url} answered ${response.status}${serverCode ? ` ${serverCode}` : ''}`, {
    details: { url: request.url, status: response.status, ...(serverCode ? { serverCode } : {}) },
  });
}

/** The `error.code` of a Steward error answer, if it has one. */
export function serverErrorCode(response: ApiResponse): string | undefined {
  try {
    const parsed = JSON.parse(response.body.toString('utf8')) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}
