/**
 * A targets role (TUF 4.5 "targets.json" and delegated roles): the target files it signs
 * for and, optionally, delegations to other roles.
 *
 * @example
 * const targets = Targets.fromJSON(envelope.signed);
 * targets.targets.get('acme/t100-fw-1.2.0.bin')?.length;
 */
import type { JsonObject } from '../json/json-value.js';
import { ObjectReader } from '../json/object-reader.js';
import { Delegations } from './delegations.js';
import { readSignedFields, writeSignedFields, type SignedFields } from './signed-fields.js';
import { TargetFile } from './target-file.js';

export class Targets implements SignedFields {
  readonly type = 'targets' as const;
  readonly specVersion: string;
  readonly version: number;
  readonly expires: string;
  readonly targets: ReadonlyMap<string, TargetFile>;
  readonly delegations: Delegations | undefined;
  readonly unrecognised: JsonObject;

  constructor(options: SignedFields & { targets: ReadonlyMap<string, TargetFile>; delegations?: Delegations | undefined; unrecognised?: JsonObject }) {
    this.specVersion = options.specVersion;
    this.version = options.version;
    this.expires = options.expires;
    this.targets = options.targets;
    this.delegations = options.delegations;
    this.unrecognised = options.unrecognised ?? {};
  }

  static fromJSON(value: unknown, path = 'signed'): Targets {
    const reader = ObjectReader.of(value, path);
    const fields = readSignedFields(reader, 'targets');
    const targetsReader = reader.object('targets');
    const targets = new Map<string, TargetFile>();
    for (const [targetPath, entry] of targetsReader.entries()) targets.set(targetPath, TargetFile.fromJSON(targetPath, entry, targetsReader.field(targetPath)));
    const delegationsValue = reader.raw('delegations');
    const delegations = delegationsValue === undefined ? undefined : Delegations.fromJSON(delegationsValue, reader.field('delegations'));
    return new Targets({ ...fields, targets, delegations, unrecognised: reader.unrecognised() });
  }

  toJSON(): JsonObject {
    const targets: JsonObject = {};
    for (const [path, file] of this.targets) targets[path] = file.toJSON();
    return {
      ...this.unrecognised,
      ...writeSignedFields('targets', this),
      targets,
      ...(this.delegations === undefined ? {} : { delegations: this.delegations.toJSON() }),
    };
  }
}
