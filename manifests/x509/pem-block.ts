/**
 * Strict reading of one PEM block (RFC 7468). Only the encapsulated block is
 * interpreted; explanatory text around it (as OpenSSL prints "Bag Attributes") is allowed,
 * but a second block is not: silently ignoring it would hide a mistake.
 */

/** Upper bound on the text we look at: a certificate or RSA-4096 key is a few KiB. */
const MAX_PEM_CHARS = 256 * 1024;

const BEGIN_LINE = /-----BEGIN ([A-Z0-9 ]+)-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;

export interface PemBlock {
  /** The label between `BEGIN ` and `-----`, e.g. `CERTIFICATE`. */
  readonly label: string;
  readonly der: Buffer;
  /** RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`) were present: legacy encrypted PEM. */
  readonly hasHeaders: boolean;
}

export type PemReadResult = { readonly ok: true; readonly block: PemBlock } | { readonly ok: false; readonly problem: string };

/** Reads the one PEM block in `text`, whose label must be one of `labels`. */
export function readSinglePemBlock(text: unknown, labels: readonly string[]): PemReadResult {
  if (typeof text !== 'string') return { ok: false, problem: 'PEM input is not a string' };
  if (text.length > MAX_PEM_CHARS) return { ok: false, problem: `PEM input exceeds ${MAX_PEM_CHARS} characters` };
  const begins = [...text.matchAll(BEGIN_LINE)];
  if (begins.length !== 1) return { ok: false, problem: `expected exactly one PEM block, found ${begins.length}` };
  const begin = begins[0]!;
  const label = begin[1]!;
  if (!labels.includes(label)) return { ok: false, problem: `PEM label "${label}" is not one of ${labels.join(', ')}` };
  const bodyStart = begin.index + begin[0].length;
  const endLine = `-----END ${label}-----`;
  const bodyEnd = text.indexOf(endLine, bodyStart);
  if (bodyEnd < 0) return { ok: false, problem: `missing "${endLine}"` };

  const lines = text.slice(bodyStart, bodyEnd).split(/\r?\n/).map((line) => line.trim());
  const hasHeaders = lines.some((line) => line.includes(':'));
  const base64 = lines.filter((line) => line !== '' && !line.includes(':')).join('');
  if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64_BODY.test(base64)) {
    return { ok: false, problem: 'PEM body is not valid base64' };
  }
  return { ok: true, block: { label, der: Buffer.from(base64, 'base64'), hasHeaders } };
}

/** Encodes DER as PEM with 64-character lines (RFC 7468 2). */
export function toPem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
