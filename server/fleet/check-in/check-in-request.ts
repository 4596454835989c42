/**
 * The check-in body (protocol.md 3): installed components, applied profile version, health
 * and events, as the JSON schema Fastify validates and the type it guarantees. Unknown
 * health fields are kept (terminals report more than the server interprets).
 */

export const EVENT_KINDS = [
  'offered', 'download-started', 'downloaded', 'install-started', 'committed', 'rolled-back', 'rejected',
  'cancel-acknowledged', 'profile-applied', 'profile-rolled-back',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface InstalledComponent {
  readonly component: string;
  readonly version: string;
  readonly targetPath?: string;
}

export interface Health {
  readonly power?: { readonly source?: string; readonly batteryPercent?: number; readonly charging?: boolean };
  readonly network?: { readonly type?: string; readonly signalDbm?: number };
  readonly printer?: { readonly paper?: string };
  readonly selfTest?: { readonly keypad?: string; readonly screen?: string };
  readonly freeStorageBytes?: number;
  readonly lastTransactionError?: string | null;
  readonly uptimeSeconds?: number;
  readonly [field: string]: unknown;
}

export interface ReportedEvent {
  readonly id: string;
  readonly kind: EventKind;
  readonly at: string;
  readonly rolloutId?: string;
  readonly targetPath?: string;
  readonly version?: string;
  readonly code?: string | null;
}

export interface CheckInRequest {
  readonly installed: readonly InstalledComponent[];
  readonly profileVersion?: number | null;
  readonly health?: Health;
  readonly events?: readonly ReportedEvent[];
}

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;

export const checkInRequestSchema = {
  type: 'object',
  required: ['installed'],
  properties: {
    installed: {
      type: 'array',
      maxItems: 32,
      items: { type: 'object', required: ['component', 'version'], properties: { component: text(64), version: text(64), targetPath: text(512) } },
    },
    profileVersion: { type: ['integer', 'null'], minimum: 1 },
    health: {
      type: 'object',
      additionalProperties: true,
      properties: {
        power: { type: 'object', properties: { source: text(32), batteryPercent: { type: 'integer', minimum: 0, maximum: 100 }, charging: { type: 'boolean' } } },
        network: { type: 'object', properties: { type: text(32), signalDbm: { type: 'number' } } },
        printer: { type: 'object', properties: { paper: text(32) } },
        selfTest: { type: 'object', properties: { keypad: text(32), screen: text(32) } },
        freeStorageBytes: { type: 'integer', minimum: 0 },
        lastTransactionError: { type: ['string', 'null'], maxLength: 64 },
        uptimeSeconds: { type: 'integer', minimum: 0 },
      },
    },
    events: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        required: ['id', 'kind', 'at'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$', description: 'idempotency key (a UUID)' },
          kind: { type: 'string', enum: EVENT_KINDS },
          at: { type: 'string', format: 'date-time' },
          rolloutId: text(64),
          targetPath: text(512),
          version: text(64),
          code: { type: ['string', 'null'], maxLength: 64 },
        },
      },
    },
  },
} as const;
