/**
 * What both HTTP fetchers check in a response head before streaming its body: the status,
 * where the body starts (RFC 9110 14.2 Range, 14.4 Content-Range) and whether the declared
 * length already exceeds the cap.
 */
import { DeviceError } from '../errors.js';
import type { FetchRequest } from './fetcher.js';

/** Status and headers of a response, whatever HTTP client produced it. */
export interface ResponseHead {
  readonly status: number;
  /** The header's value, or null when absent. */
  header(name: string): string | null;
}

/** Where the request asks the body to start; an offset at or past the cap is refused before anything is sent. */
export function startOffset(request: FetchRequest): number {
  const offset = request.offset ?? 0;
  if (offset >= request.maxLength) {
    throw new DeviceError('STW_DEVICE_TOO_LARGE', `offset ${offset} is at or past the cap of ${request.maxLength} bytes`, {
      details: { url: request.url, offset, maxLength: request.maxLength },
    });
  }
  return offset;
}

/** Check status and headers; work out where the body starts and how long the whole resource is. */
export function interpretHead(response: ResponseHead, request: FetchRequest, offset: number): { start: number; totalLength: number | undefined } {
  const url = request.url;
  if (response.status === 206) {
    const range = parseContentRange(response.header('content-range'));
    if (range === undefined || range.first !== offset) {
      throw new DeviceError('STW_DEVICE_RANGE_UNSUPPORTED', `206 from ${url} does not start at byte ${offset}`, {
        details: { url, offset, contentRange: response.header('content-range') },
      });
    }
    if (range.total !== undefined && range.total > request.maxLength) throw tooLarge(request, range.total);
    if (range.last + 1 > request.maxLength) throw tooLarge(request, range.last + 1);
    return { start: offset, totalLength: range.total };
  }
  if (response.status < 200 || response.status > 299) {
    throw new DeviceError('STW_DEVICE_HTTP_STATUS', `${url} answered ${response.status}`, { details: { url, status: response.status } });
  }
  // A 2xx other than 206: the whole resource from byte 0 (RFC 9110 14.2: a server may ignore Range).
  const declared = parseLength(response.header('content-length'));
  if (declared !== undefined && declared > request.maxLength) throw tooLarge(request, declared);
  return { start: 0, totalLength: declared };
}

/** RFC 9110 14.4: `Content-Range: bytes first-last/complete-length` (complete length may be `*`). */
export function parseContentRange(value: string | null): { first: number; last: number; total: number | undefined } | undefined {
  const match = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value?.trim() ?? '');
  if (match === null) return undefined;
  const first = Number(match[1]);
  const last = Number(match[2]);
  if (last < first) return undefined;
  return { first, last, total: match[3] === '*' ? undefined : Number(match[3]) };
}

function parseLength(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

export function tooLarge(request: FetchRequest, length: number): DeviceError {
  return new DeviceError('STW_DEVICE_TOO_LARGE', `${request.url} exceeds ${request.maxLength} bytes`, {
    details: { url: request.url, length, maxLength: request.maxLength },
  });
}

