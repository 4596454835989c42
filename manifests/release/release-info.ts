/**
 * What a vendor states about a release, in each target's `custom` (TUF 4.5 allows any
 * `custom` object): its semver `version`, the `hardware_ids` it runs on, the `component`
 * (`firmware` or an app id), the lowest installed version it may upgrade from
 * (`min_from_version`), and `notes`. The server checks it before publishing; the terminal
 * uses it to refuse downgrades and wrong hardware.
 *
 * @example
 * const release = ReleaseInfo.fromCustom(targetFile.custom, targetFile.path);
 * release.runsOn('t100'); release.version; // '1.2.0'
 */
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader, invalid } from '../json/object-reader.js';

// semver 2.0.0, section 9-10 (pre-release and build metadata allowed).
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_NOTES = 16 * 1024; // characters

export class ReleaseInfo {
  readonly version: string;
  readonly hardwareIds: readonly string[];
  readonly component: string;
  readonly minFromVersion: string | undefined;
  readonly notes: string;

  constructor(options: { version: string; hardwareIds: readonly string[]; component: string; minFromVersion?: string | undefined; notes?: string }) {
    this.version = options.version;
    this.hardwareIds = options.hardwareIds;
    this.component = options.component;
    this.minFromVersion = options.minFromVersion;
    this.notes = options.notes ?? '';
  }

  static fromCustom(custom: unknown, targetPath: string): ReleaseInfo {
    const reader = ObjectReader.of(custom, `targets.${targetPath}.custom`);
    const version = reader.string('version', { pattern: SEMVER });
    const hardwareIds = reader.stringArray('hardware_ids', { nonEmpty: true, unique: true });
    for (const id of hardwareIds) if (!IDENTIFIER.test(id)) throw invalid(reader.field('hardware_ids'), `has an invalid id ${JSON.stringify(id)}`);
    const component = reader.string('component', { pattern: IDENTIFIER });
    const minFromVersion = reader.optionalString('min_from_version', { pattern: SEMVER });
    const notes = reader.optionalString('notes') ?? '';
    if (notes.length > MAX_NOTES) throw invalid(reader.field('notes'), `is longer than ${MAX_NOTES} characters`);
    return new ReleaseInfo({ version, hardwareIds, component, minFromVersion, notes });
  }

  toCustom(): JsonObject {
    return {
      version: this.version,
      hardware_ids: [...this.hardwareIds],
      component: this.component,
      ...(this.minFromVersion === undefined ? {} : { min_from_version: this.minFromVersion }),
      ...(this.notes === '' ? {} : { notes: this.notes }),
    };
  }

  runsOn(hardwareId: string): boolean {
    return this.hardwareIds.includes(hardwareId);
  }
}

export function isSemver(value: string): boolean {
  return SEMVER.test(value);
}
