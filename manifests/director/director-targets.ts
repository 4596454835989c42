/**
 * The director document: per-device instructions in TUF `targets` form (Uptane's director
 * repository), signed by the director's online key(s) under a director root the terminal
 * received at enrolment. It names what this one device must run now:
 *
 * - `signed.custom`: `device_id`, `poll_interval_seconds`, optional `install_window`
 *   (`start`/`end` as HH:MM in `time_zone`), optional `correlation_id`;
 * - each target's `custom.kind`: `image` (with `hardware_id`, `component`, `version`) or
 *   `profile` (with `profile_version`); at most one profile.
 *
 * The terminal installs an image only when the image repository lists the same target name
 * with the same length and hashes (DESIGN "Trust model" 3).
 *
 * @example
 * const director = DirectorTargets.fromTargets(verifiedMetadata.signed);
 * if (director.instructions.deviceId !== myId) throw ...;
 */
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader, invalid } from '../json/object-reader.js';
import { isTimeZone } from '../json/time-zone.js';
import type { Hashes } from '../metadata/hashes.js';
import { SPEC_VERSION } from '../metadata/signed-fields.js';
import { TargetFile } from '../metadata/target-file.js';
import { Targets } from '../metadata/targets.js';

const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
export const MIN_POLL_INTERVAL_SECONDS = 10;
export const MAX_POLL_INTERVAL_SECONDS = 7 * 24 * 3600;

export interface InstallWindow {
  /** Local wall-clock time `HH:MM`; a window whose end is before its start spans midnight. */
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
}

export interface DirectorInstructions {
  readonly deviceId: string;
  readonly pollIntervalSeconds: number;
  readonly installWindow: InstallWindow | undefined;
  readonly correlationId: string | undefined;
  /** Rollouts whose earlier offer the device must drop, then acknowledge. */
  readonly cancelledRollouts?: readonly string[] | undefined;
}

export interface DirectorImage {
  readonly kind: 'image';
  readonly file: TargetFile;
  readonly hardwareId: string;
  readonly component: string;
  readonly version: string;
  /** The rollout that offers this image, echoed back in the device's events. */
  readonly rolloutId: string | undefined;
}

export interface DirectorProfile {
  readonly kind: 'profile';
  readonly file: TargetFile;
  readonly profileVersion: number;
}

export type DirectorTarget = DirectorImage | DirectorProfile;

export class DirectorTargets {
  readonly targets: Targets;
  readonly instructions: DirectorInstructions;
  readonly images: readonly DirectorImage[];
  readonly profile: DirectorProfile | undefined;

  private constructor(targets: Targets, instructions: DirectorInstructions, images: DirectorImage[], profile: DirectorProfile | undefined) {
    this.targets = targets;
    this.instructions = instructions;
    this.images = images;
    this.profile = profile;
  }

  /** Validate the director fields of an already signature-checked targets document. */
  static fromTargets(targets: Targets): DirectorTargets {
    const instructions = readInstructions(targets.unrecognised['custom']);
    const images: DirectorImage[] = [];
    let profile: DirectorProfile | undefined;
    for (const file of targets.targets.values()) {
      const target = readTarget(file);
      if (target.kind === 'image') images.push(target);
      else if (profile) throw invalid(`targets.${file.path}`, 'is a second profile');
      else profile = target;
    }
    return new DirectorTargets(targets, instructions, images, profile);
  }

  /** Build the signed part of a director document (the server signs it). */
  static build(options: {
    version: number;
    expires: string;
    instructions: DirectorInstructions;
    images: readonly { name: string; length: number; hashes: Hashes; hardwareId: string; component: string; version: string; rolloutId?: string | undefined }[];
    profile?: { name: string; length: number; hashes: Hashes; profileVersion: number } | undefined;
  }): Targets {
    const files = new Map<string, TargetFile>();
    for (const image of options.images) {
      const custom = { kind: 'image', hardware_id: image.hardwareId, component: image.component, version: image.version, ...(image.rolloutId === undefined ? {} : { rollout_id: image.rolloutId }) };
      files.set(image.name, new TargetFile({ path: image.name, length: image.length, hashes: image.hashes, custom }));
    }
    if (options.profile) {
      const { name, length, hashes, profileVersion } = options.profile;
      files.set(name, new TargetFile({ path: name, length, hashes, custom: { kind: 'profile', profile_version: profileVersion } }));
    }
    const targets = new Targets({ specVersion: SPEC_VERSION, version: options.version, expires: options.expires, targets: files, unrecognised: { custom: writeInstructions(options.instructions) } });
    DirectorTargets.fromTargets(targets); // what we sign must read back
    return targets;
  }
}

function readInstructions(value: unknown): DirectorInstructions {
  const reader = ObjectReader.of(value, 'signed.custom');
  const deviceId = reader.string('device_id', { nonEmpty: true });
  const pollIntervalSeconds = reader.integer('poll_interval_seconds', { min: MIN_POLL_INTERVAL_SECONDS, max: MAX_POLL_INTERVAL_SECONDS });
  const windowReader = reader.optionalObject('install_window');
  let installWindow: InstallWindow | undefined;
  if (windowReader) {
    const start = windowReader.string('start', { pattern: CLOCK_TIME });
    const end = windowReader.string('end', { pattern: CLOCK_TIME });
    const timeZone = windowReader.string('time_zone');
    if (!isTimeZone(timeZone)) throw invalid(windowReader.field('time_zone'), 'is not a known time zone');
    installWindow = { start, end, timeZone };
  }
  const correlationId = reader.optionalString('correlation_id');
  const cancelledRollouts = reader.has('cancelled_rollouts') ? reader.stringArray('cancelled_rollouts', { unique: true }) : (reader.raw('cancelled_rollouts'), undefined);
  return { deviceId, pollIntervalSeconds, installWindow, correlationId, cancelledRollouts };
}

function writeInstructions(instructions: DirectorInstructions): JsonObject {
  const { deviceId, pollIntervalSeconds, installWindow, correlationId, cancelledRollouts } = instructions;
  return {
    device_id: deviceId,
    poll_interval_seconds: pollIntervalSeconds,
    ...(installWindow ? { install_window: { start: installWindow.start, end: installWindow.end, time_zone: installWindow.timeZone } } : {}),
    ...(correlationId === undefined ? {} : { correlation_id: correlationId }),
    ...(cancelledRollouts === undefined || cancelledRollouts.length === 0 ? {} : { cancelled_rollouts: [...cancelledRollouts] }),
  };
}

function readTarget(file: TargetFile): DirectorTarget {
  const reader = ObjectReader.of(file.custom, `targets.${file.path}.custom`);
  const kind = reader.string('kind');
  switch (kind) {
    case 'image':
      return {
        kind,
        file,
        hardwareId: reader.string('hardware_id', { nonEmpty: true }),
        component: reader.string('component', { nonEmpty: true }),
        version: reader.string('version', { nonEmpty: true }),
        rolloutId: reader.optionalString('rollout_id', { nonEmpty: true }),
      };
    case 'profile':
      return { kind, file, profileVersion: reader.integer('profile_version', { min: 1 }) };
    default:
      throw invalid(reader.field('kind'), `is ${kind}, expected image or profile`);
  }
}
