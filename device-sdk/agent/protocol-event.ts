/**
 * The events a terminal reports in its check-ins (protocol.md section 3), and how the update
 * machine's `UpdateEvent`s become them. Each event has an `id` the server de-duplicates by;
 * ids are derived from what the event is about (device, target, kind, time), so an event
 * queued twice after a power cut is still one event.
 *
 *   UpdateEvent             protocol event
 *   downloaded          ->  downloaded
 *   installed           ->  install-started      (slot written, trial boot next)
 *   committed           ->  committed
 *   rolled-back         ->  rolled-back          (code: the reason)
 *   install-failed      ->  rolled-back          (code: why; the running slot was never touched)
 *   rejected            ->  rejected             (code)
 *   cancelled           ->  cancel-acknowledged
 *   deferred, download-interrupted, reboot-requested: not reported
 */
import { createHash } from 'node:crypto';
import type { UpdateEvent } from '../update/index.js';

export type ProtocolEventKind =
  | 'offered'
  | 'download-started'
  | 'downloaded'
  | 'install-started'
  | 'committed'
  | 'rolled-back'
  | 'rejected'
  | 'cancel-acknowledged'
  | 'profile-applied'
  | 'profile-rolled-back';

export interface ProtocolEvent {
  readonly id: string;
  readonly kind: ProtocolEventKind;
  /** ISO 8601. */
  readonly at: string;
  readonly rolloutId?: string;
  readonly targetPath?: string;
  readonly version?: string;
  readonly code: string | null;
}

/** The update a component is working on, as the agent remembers it (for rollout ids in events). */
export interface Offer {
  readonly targetPath: string;
  readonly version: string;
  readonly sha256: string;
  readonly rolloutId: string | undefined;
}

/** A UUID (RFC 9562 version 8, name-based on SHA-256) for the event described by `parts`. */
export function eventId(...parts: readonly string[]): string {
  const hash = createHash('sha256').update(parts.join('\u0000')).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80; // version 8
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A protocol event about `targetPath`; the id is derived from the device and every field. */
export function protocolEvent(
  deviceId: string,
  fields: { kind: ProtocolEventKind; at: string; targetPath?: string | undefined; version?: string | undefined; rolloutId?: string | undefined; code?: string | null | undefined },
): ProtocolEvent {
  const id = eventId(deviceId, fields.kind, fields.at, fields.targetPath ?? '', fields.version ?? '', fields.rolloutId ?? '', fields.code ?? '');
  return {
    id,
    kind: fields.kind,
    at: fields.at,
    ...(fields.rolloutId === undefined ? {} : { rolloutId: fields.rolloutId }),
    ...(fields.targetPath === undefined ? {} : { targetPath: fields.targetPath }),
    ...(fields.version === undefined ? {} : { version: fields.version }),
    code: fields.code ?? null,
  };
}

/** The protocol event for an update machine event, or undefined when it is not reported. */
export function fromUpdateEvent(deviceId: string, event: UpdateEvent, offer: Offer | undefined): ProtocolEvent | undefined {
  const base = { at: event.at, targetPath: event.targetName, version: event.version, rolloutId: offer?.targetPath === event.targetName ? offer.rolloutId : undefined };
  switch (event.type) {
    case 'downloaded':
      return protocolEvent(deviceId, { ...base, kind: 'downloaded' });
    case 'installed':
      return protocolEvent(deviceId, { ...base, kind: 'install-started' });
    case 'committed':
      return protocolEvent(deviceId, { ...base, kind: 'committed' });
    case 'rolled-back':
      return protocolEvent(deviceId, { ...base, kind: 'rolled-back', code: event.reason });
    case 'install-failed':
      return protocolEvent(deviceId, { ...base, kind: 'rolled-back', code: event.code });
    case 'rejected':
      return protocolEvent(deviceId, { ...base, kind: 'rejected', code: event.code });
    case 'cancelled':
      return protocolEvent(deviceId, { ...base, kind: 'cancel-acknowledged' });
    case 'deferred':
    case 'download-interrupted':
    case 'reboot-requested':
      return undefined;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
