/**
 * Health flags an operator filters on (protocol.md 3): paper out, update failed, profile not
 * applied, and offline too long. The first three are kept on the device row and updated at
 * check-in; offline is a question about now, answered when asked (`last_seen_at` before
 * now minus `offlineAfterSeconds`).
 *
 * - paper out: the printer reports `paper: "out"`; cleared by any other report.
 * - update failed: the latest update outcome was `rolled-back` or `rejected`; cleared by `committed`.
 * - profile not applied: the latest profile outcome was `profile-rolled-back`, or the device
 *   holds a director document naming profile version N and reports another version;
 *   cleared by `profile-applied` or a matching report.
 *
 * @example
 * const flags = nextFlags(device.flags, { health, events, profile: { named: 4, held: true, reported: 3 } });
 */
import type { HealthFlags } from '../devices/device-record.js';
import type { Health, ReportedEvent } from './check-in-request.js';

export const FLAG_NAMES = ['offline', 'paper-out', 'update-failed', 'profile-not-applied'] as const;
export type FlagName = (typeof FLAG_NAMES)[number];

export interface FlagInputs {
  readonly health: Health | undefined;
  /** New events, any order. */
  readonly events: readonly Pick<ReportedEvent, 'kind' | 'at'>[];
  readonly profile: {
    /** The profile version the device's current director document names, if any. */
    readonly named: number | null;
    /** Whether the device already holds that document (its ETag matched). */
    readonly held: boolean;
    readonly reported: number | null;
  };
}

export function nextFlags(previous: HealthFlags, inputs: FlagInputs): HealthFlags {
  const paper = inputs.health?.printer?.paper;
  const paperOut = paper === undefined ? previous.paperOut : paper === 'out';
  let updateFailed = previous.updateFailed;
  let profileNotApplied = previous.profileNotApplied;
  for (const event of [...inputs.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    if (event.kind === 'rolled-back' || event.kind === 'rejected') updateFailed = true;
    else if (event.kind === 'committed') updateFailed = false;
    else if (event.kind === 'profile-rolled-back') profileNotApplied = true;
    else if (event.kind === 'profile-applied') profileNotApplied = false;
  }
  const { named, held, reported } = inputs.profile;
  if (held && named !== null) profileNotApplied = reported !== named;
  return { paperOut, updateFailed, profileNotApplied };
}
