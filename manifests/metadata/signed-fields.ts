/**
 * The fields every TUF role shares (TUF 4.3 "signed" portion): `_type`, `spec_version`,
 * `version`, `expires`; plus the checks on them that do not need a trusted predecessor.
 */
import { ManifestError } from '../errors.js';
import type { JsonObject } from '../json/json-value.js';
import type { ObjectReader } from '../json/object-reader.js';

export type RoleType = 'root' | 'targets' | 'snapshot' | 'timestamp';

/** The TUF specification version this implementation writes. */
export const SPEC_VERSION = '1.0.31';
/** The one major version this implementation reads (TUF 5.3.x: reject other majors). */
export const SUPPORTED_SPEC_MAJOR = 1;

const SPEC_VERSION_PATTERN = /^(\d+)\.(\d+)(?:\.(\d+))?$/;
// TUF 4.3: "expires ... in the form YYYY-MM-DDTHH:MM:SSZ"; fractional seconds are tolerated.
const EXPIRES_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

export interface SignedFields {
  readonly specVersion: string;
  readonly version: number;
  readonly expires: string;
}

export function readSignedFields(reader: ObjectReader, expectedType: RoleType): SignedFields {
  const type = reader.string('_type');
  if (type !== expectedType) {
    throw new ManifestError('STW_MANIFEST_WRONG_TYPE', `expected _type ${expectedType}, got ${type}`, { details: { expected: expectedType, actual: type } });
  }
  const specVersion = reader.string('spec_version');
  const match = SPEC_VERSION_PATTERN.exec(specVersion);
  if (!match) throw new ManifestError('STW_MANIFEST_INVALID', `spec_version ${specVersion} is not a version`, { details: { field: reader.field('spec_version') } });
  if (Number(match[1]) !== SUPPORTED_SPEC_MAJOR) {
    throw new ManifestError('STW_MANIFEST_UNSUPPORTED_SPEC', `spec_version ${specVersion} has an unsupported major version`, { details: { specVersion } });
  }
  const version = reader.integer('version', { min: 1 });
  const expires = reader.string('expires', { pattern: EXPIRES_PATTERN });
  if (Number.isNaN(Date.parse(expires))) throw new ManifestError('STW_MANIFEST_INVALID', `expires ${expires} is not a date`, { details: { field: reader.field('expires') } });
  return { specVersion, version, expires };
}

export function writeSignedFields(type: RoleType, fields: SignedFields): JsonObject {
  return { _type: type, spec_version: fields.specVersion, version: fields.version, expires: fields.expires };
}

/** `expires` for a date, in the TUF form without fractional seconds. */
export function formatExpires(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Whether a role with this `expires` has expired at `now` (TUF 5.4.4: expired when expires <= now). */
export function isExpired(expires: string, now: Date): boolean {
  return Date.parse(expires) <= now.getTime();
}
