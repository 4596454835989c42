/**
 * The agent's own persisted state (`<stateDirectory>/agent/agent-state.json`, replaced whole
 * through DurableFs): what the loop is doing (`AgentPhase`, a union keyed by `kind`; see
 * agent.ts for the transitions), the events not yet accepted by the server, and what the
 * agent must remember between check-ins. The update machines keep their own state.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DurableFs } from '../durable/durable-fs.js';
import { DeviceError, type DeviceErrorCode } from '../errors.js';
import type { Offer, ProtocolEvent } from './protocol-event.js';

export type AgentPhase =
  /** Power-on: resume every update machine (a trial boot is judged here), queue their outcomes. */
  | { readonly kind: 'resuming' }
  | { readonly kind: 'enrolling' }
  | { readonly kind: 'checking-in' }
  /** A director document was accepted (or confirmed by 304): act on it. */
  | { readonly kind: 'applying' }
  /** Until the next check-in (ISO 8601). */
  | { readonly kind: 'waiting'; readonly until: string }
  /** After `failures` consecutive failures, the last with `code`, until the next attempt. */
  | { readonly kind: 'backing-off'; readonly until: string; readonly failures: number; readonly code: DeviceErrorCode }
  /** A reboot was asked of the host; the next power-on resumes. */
  | { readonly kind: 'rebooting' };

export type AgentPhaseKind = AgentPhase['kind'];

const PHASE_KINDS: readonly AgentPhaseKind[] = ['resuming', 'enrolling', 'checking-in', 'applying', 'waiting', 'backing-off', 'rebooting'];

export interface FailedTarget {
  /** Failures of this target on this terminal. */
  readonly count: number;
  /** ISO 8601 of the last one. */
  readonly at: string;
}

export interface AgentRecord {
  readonly phase: AgentPhase;
  /** The ETag of the last director document received (If-None-Match). */
  readonly etag: string | undefined;
  readonly pollIntervalSeconds: number;
  /** Consecutive failed steps (the back-off exponent); 0 after a successful check-in. */
  readonly failures: number;
  /** Events waiting for the server to accept them, oldest first. */
  readonly queue: readonly ProtocolEvent[];
  /** Per component: the update its machine is working on. */
  readonly offers: Readonly<Record<string, Offer>>;
  /** Per component: the target installed through the agent (reported with the version). */
  readonly installedTargets: Readonly<Record<string, string>>;
  /** Keys of refusals already reported for a director version (`<version> <target> <code>`). */
  readonly reported: readonly string[];
  /** Targets that failed here, by `<targetPath> <sha256>`. */
  readonly failedTargets: Readonly<Record<string, FailedTarget>>;
  /** Cancelled rollouts already acknowledged. */
  readonly acknowledgedCancels: readonly string[];
  /** A profile handed to the applier whose outcome is not queued yet (a power cut cannot lose it). */
  readonly profileApply?: { readonly version: number; readonly targetPath: string } | undefined;
}

export function initialRecord(pollIntervalSeconds: number): AgentRecord {
  return { phase: { kind: 'resuming' }, etag: undefined, pollIntervalSeconds, failures: 0, queue: [], offers: {}, installedTargets: {}, reported: [], failedTargets: {}, acknowledgedCancels: [] };
}

const SCHEMA = 1;

export class AgentStateStore {
  readonly path: string;
  readonly #directory: string;
  readonly #fs: DurableFs;

  constructor(directory: string, fs: DurableFs) {
    this.#directory = directory;
    this.path = join(directory, 'agent-state.json');
    this.#fs = fs;
  }

  async load(): Promise<AgentRecord | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new DeviceError('STW_DEVICE_STORE_FAILED', `cannot read ${this.path}`, { cause: error, details: { path: this.path } });
    }
    let wire: { schema?: unknown; record?: AgentRecord };
    try {
      wire = JSON.parse(text) as typeof wire;
    } catch (cause) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `${this.path} is not JSON`, { cause, details: { path: this.path } });
    }
    if (wire.schema !== SCHEMA || wire.record === undefined || !PHASE_KINDS.includes(wire.record.phase?.kind)) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `${this.path} holds no known agent state`, { details: { path: this.path } });
    }
    return wire.record;
  }

  async save(record: AgentRecord): Promise<void> {
    await this.#fs.ensureDirectory(this.#directory);
    await this.#fs.writeFileAtomic(this.path, Buffer.from(`${JSON.stringify({ schema: SCHEMA, record })}\n`));
  }
}
