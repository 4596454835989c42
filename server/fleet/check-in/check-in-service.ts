/**
 * One check-in (protocol.md 3), after the request's signature was verified:
 *
 * 1. new events are stored (idempotent by id) and handed to the rollout planner;
 * 2. the device's facts go to the planner, which says what rollouts want it to run;
 * 3. the director answers: 304 when the device holds the current document, else the
 *    stored document, re-signed only if what it says changed or it is ageing;
 * 4. health, installed components, profile version and flags are written (group-committed),
 *    with a history row when the reported state changed or the last one is old.
 *
 * On the 304 path that is one planner call, two indexed reads and one batched write, on top
 * of the signature check and nonce insert: no signing, no document parsing.
 *
 * @example
 * const answer = await checkIns.checkIn(request.device, request.body, entityTags(request.headers['if-none-match']));
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canonicalBytes } from '../../../manifests/index.js';
import type { Database } from '../../db/schema.js';
import type { DeviceRecord, HealthFlags } from '../devices/device-record.js';
import { desiredState } from '../director/desired-state.js';
import type { DirectorAnswer, DirectorService } from '../director/director-service.js';
import type { ProfileSource } from '../director/profile-source.js';
import type { DeviceFacts, RolloutPlanner } from '../rollouts/rollout-planner.js';
import type { CheckInRequest } from './check-in-request.js';
import type { CheckInWriter } from './check-in-writer.js';
import { recordEvents } from './event-recorder.js';
import { nextFlags } from './health-flags.js';

export interface CheckInServiceOptions {
  readonly db: Kysely<Database>;
  readonly clock: () => Date;
  readonly planner: RolloutPlanner;
  readonly profiles: ProfileSource;
  readonly director: DirectorService;
  readonly writer: CheckInWriter;
  readonly pollIntervalSeconds: number;
  /** Write a history row at least this often, in seconds. */
  readonly historyIntervalSeconds: number;
}

export class CheckInService {
  readonly #options: CheckInServiceOptions;

  constructor(options: CheckInServiceOptions) {
    this.#options = options;
  }

  get pollIntervalSeconds(): number {
    return this.#options.pollIntervalSeconds;
  }

  async checkIn(device: DeviceRecord, body: CheckInRequest, heldEtags: readonly string[]): Promise<DirectorAnswer> {
    const { db, clock, planner, profiles, director, writer } = this.#options;
    const now = clock();
    const events = body.events && body.events.length > 0 ? await recordEvents(db, planner, device.id, body.events, now) : [];

    const installed = new Map(body.installed.map((item) => [item.component, item.version]));
    const facts: DeviceFacts = { deviceId: device.id, hardwareModel: device.hardwareModel, merchantId: device.merchantId, tags: device.tags, timeZone: device.timeZone, installed };
    const plan = await planner.planFor(db, facts, now);
    const state = desiredState({ deviceId: device.id, plan, profile: await profiles.profileFor(device, now), pollIntervalSeconds: this.#options.pollIntervalSeconds });
    const answer = await director.answer(device.id, state, heldEtags, now, device.director);

    const reported = body.profileVersion ?? null;
    const named = answer.kind === 'not-modified' ? answer.head.profileVersion : null;
    const flags = nextFlags(device.flags, { health: body.health, events, profile: { named, held: answer.kind === 'not-modified', reported } });
    const installedJson = JSON.stringify(body.installed);
    const stateHash = reportedStateHash(installedJson, reported, flags);
    const historyDue = device.historyAt === null || Date.parse(device.historyAt) + this.#options.historyIntervalSeconds * 1000 <= now.getTime();
    await writer.record({
      deviceId: device.id,
      at: now.toISOString(),
      health: body.health === undefined ? undefined : JSON.stringify(body.health),
      installed: installedJson,
      firmwareVersion: installed.get('firmware') ?? null,
      profileVersion: reported,
      flags,
      stateHash,
      history: historyDue || stateHash !== device.stateHash,
    });
    return answer;
  }
}

/** What decides whether a check-in adds a history row: installed components (as JSON text), profile version and flags. */
export function reportedStateHash(installedJson: string, profileVersion: number | null, flags: HealthFlags): string {
  return createHash('sha256').update(canonicalBytes({ installed: installedJson, profileVersion, flags: { ...flags } })).digest('hex');
}
