import type forge from 'node-forge';
import { certificateInvalid } from './x509-errors.js';

/** X.520 attribute types. */
const COMMON_NAME = '2.5.4.3';
const SERIAL_NUMBER = '2.5.4.5';
const ORGANIZATIONAL_UNIT = '2.5.4.11';
/** RFC 5280 appendix A.1: ub-common-name, ub-serial-number and ub-organizational-unit-name are all 64. */
const UPPER_BOUND = 64;

/** ASN.1 universal tags of the DirectoryString choices (RFC 5280 4.1.2.4), plus IA5String. */
const UTF8_STRING = 12;
const PRINTABLE_STRING = 19;
const IA5_STRING = 22;
const BMP_STRING = 30;
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const ASCII = /^[\x20-\x7e]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

type Name = forge.pki.Certificate['subject'];

export interface DeviceSubject {
  /** Subject serialNumber (2.5.4.5): the terminal serial. */
  readonly serialNumber: string;
  /** Subject OU (2.5.4.11): the hardware model. */
  readonly hardwareModel: string;
  readonly commonName: string | undefined;
}

/** Reads the terminal identity from the leaf subject; each attribute at most once. */
export function readDeviceSubject(subject: Name): DeviceSubject {
  const serialNumber = readAttribute(subject, SERIAL_NUMBER, 'serialNumber');
  const hardwareModel = readAttribute(subject, ORGANIZATIONAL_UNIT, 'organizationalUnitName');
  if (serialNumber === undefined || hardwareModel === undefined) {
    const field = serialNumber === undefined ? 'serialNumber' : 'organizationalUnitName';
    throw certificateInvalid('subject', `device certificate subject has no ${field}`, { depth: 0, field });
  }
  return { serialNumber, hardwareModel, commonName: readAttribute(subject, COMMON_NAME, 'commonName') };
}

/** The issuer's commonName, if it has exactly one readable one. */
export function readCommonName(name: Name, field: string): string | undefined {
  return readAttribute(name, COMMON_NAME, field);
}

function readAttribute(name: Name, oid: string, field: string): string | undefined {
  const matches = name.attributes.filter((a) => a.type === oid);
  if (matches.length === 0) return undefined;
  if (matches.length > 1) throw certificateInvalid('subject', `${field} appears more than once`, { field });
  const text = decodeDirectoryString(matches[0]!.value, matches[0]!.valueTagClass as number | undefined);
  const acceptable =
    text !== undefined && text.length > 0 && text.length <= UPPER_BOUND && !CONTROL.test(text) && text.trim() === text;
  if (!acceptable) throw certificateInvalid('subject', `${field} is not a readable name`, { field });
  return text;
}

/** forge leaves attribute values as binary strings (one char per byte); decode per tag. */
function decodeDirectoryString(value: unknown, tag: number | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const bytes = Buffer.from(value, 'binary');
  switch (tag) {
    case UTF8_STRING:
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return undefined;
      }
    case PRINTABLE_STRING:
      return PRINTABLE.test(value) ? value : undefined;
    case IA5_STRING:
      return ASCII.test(value) ? value : undefined;
    case BMP_STRING:
      return bytes.length % 2 === 0 ? Buffer.from(bytes).swap16().toString('utf16le') : undefined;
    default:
      return undefined;
  }
}
