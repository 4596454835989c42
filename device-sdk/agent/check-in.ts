/**
 * One check-in (protocol.md section 3): a signed `POST /v1/devices/<id>/check-in` with the
 * installed components, the profile version, the health report and the queued events, and
 * `If-None-Match` naming the director document held. The answer is a new director document
 * (200, with its ETag) or `304 Not Modified`; both mean the server recorded the report.
 *
 * @example
 * const answer = await sendCheckIn(transport, signer, url, report, etag);
 * if (answer.kind === 'director') await verifier.verify(answer.director);
 */
import { exchangeJson, jsonBody, type ApiTransport, type RequestSigner } from '../signing/index.js';
import { DeviceError } from '../errors.js';
import type { HealthReport } from './agent-host.js';
import type { ProtocolEvent } from './protocol-event.js';

export interface InstalledComponent {
  readonly component: string;
  readonly version: string;
  readonly targetPath?: string;
}

export interface CheckInReport {
  readonly installed: readonly InstalledComponent[];
  readonly profileVersion?: number;
  readonly health: HealthReport;
  readonly events: readonly ProtocolEvent[];
}

export type CheckInAnswer =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'director'; readonly director: unknown; readonly etag: string | undefined; readonly pollIntervalSeconds: number | undefined };

export async function sendCheckIn(transport: ApiTransport, signer: RequestSigner, url: string, report: CheckInReport, etag: string | undefined): Promise<CheckInAnswer> {
  const response = await exchangeJson(transport, {
    method: 'POST',
    url,
    json: report,
    signer,
    headers: etag === undefined ? {} : { 'if-none-match': etag },
    accept: [200, 304],
  });
  if (response.status === 304) return { kind: 'unchanged' };
  const body = jsonBody(response, url) as { director?: unknown; pollIntervalSeconds?: unknown };
  if (typeof body !== 'object' || body === null || typeof body.director !== 'object' || body.director === null) {
    throw new DeviceError('STW_DEVICE_DIRECTOR_INVALID', 'the check-in answer carries no director document', { details: { reason: 'malformed' } });
  }
  const poll = typeof body.pollIntervalSeconds === 'number' ? body.pollIntervalSeconds : undefined;
  return { kind: 'director', director: body.director, etag: response.headers['etag'], pollIntervalSeconds: poll };
}
