/**
 * JSON parsing with limits: a document larger than `maxBytes` or nested deeper than
 * `maxDepth` is refused with STW_MANIFEST_MALFORMED_JSON before it reaches JSON.parse, so
 * hostile metadata cannot exhaust memory or the stack (TUF 5.x: "endless data" attack).
 *
 * @example
 * const value = parseJson(bytes, { maxBytes: 512 * 1024 });
 */
import { ManifestError } from '../errors.js';
import type { JsonValue } from './json-value.js';

export interface JsonLimits {
  /** Largest accepted input, in bytes. */
  readonly maxBytes: number;
  /** Deepest accepted nesting of arrays and objects. */
  readonly maxDepth: number;
}

export const defaultJsonLimits: JsonLimits = {
  maxBytes: 16 * 1024 * 1024, // bytes
  maxDepth: 64, // levels
};

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function parseJson(input: Uint8Array | string, limits: Partial<JsonLimits> = {}): JsonValue {
  const { maxBytes, maxDepth } = { ...defaultJsonLimits, ...limits };
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.byteLength > maxBytes) {
    throw new ManifestError('STW_MANIFEST_MALFORMED_JSON', `document is ${bytes.byteLength} bytes, limit is ${maxBytes}`, {
      details: { reason: 'too-large', length: bytes.byteLength, maxBytes },
    });
  }
  const depth = maximumNesting(bytes, maxDepth);
  if (depth > maxDepth) {
    throw new ManifestError('STW_MANIFEST_MALFORMED_JSON', `document nests deeper than ${maxDepth} levels`, {
      details: { reason: 'too-deep', maxDepth },
    });
  }
  try {
    return JSON.parse(bytes.toString('utf8')) as JsonValue;
  } catch (error) {
    throw new ManifestError('STW_MANIFEST_MALFORMED_JSON', 'document is not valid JSON', { cause: error, details: { reason: 'syntax' } });
  }
}

/** Deepest nesting seen, stopping early once past `stopAbove`. Brackets inside strings do not count. */
function maximumNesting(bytes: Buffer, stopAbove: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return deepest;
}
