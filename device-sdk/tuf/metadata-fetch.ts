/**
 * Fetching metadata: one file into memory, never more than a cap (TUF 5.3.3, 5.4.1, 5.5.1,
 * 5.6.1: "up to N bytes", the endless-data defence), and the same file from each mirror in
 * turn until one serves bytes that pass every check (TUF 1.5.2: a malicious mirror cannot
 * prevent an update that a good mirror offers).
 */
import { DeviceError, type DeviceErrorCode } from '../errors.js';
import type { Fetcher } from '../fetch/fetcher.js';

/** The whole body, failing with STW_DEVICE_TOO_LARGE past `maxLength` bytes. */
export async function fetchBounded(fetcher: Fetcher, url: string, maxLength: number): Promise<Buffer> {
  const response = await fetcher.fetch({ url, maxLength });
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxLength) {
      throw new DeviceError('STW_DEVICE_TOO_LARGE', `${url} exceeds ${maxLength} bytes`, { details: { url, maxLength } });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** `base` + `/` + `file`, whether or not `base` ends with a slash. */
export function joinUrl(base: string, file: string): string {
  return base.endsWith('/') ? `${base}${file}` : `${base}/${file}`;
}

const TRANSPORT_CODES: readonly DeviceErrorCode[] = ['STW_DEVICE_FETCH_FAILED', 'STW_DEVICE_FETCH_TIMEOUT', 'STW_DEVICE_HTTP_STATUS'];

/**
 * Run `attempt` against each base URL in order and return the first success. When all fail,
 * the error reported is the first that is not plain transport trouble (a refused signature
 * says more than a dead mirror), else the first.
 */
export async function fromMirrors<T>(bases: readonly string[], attempt: (base: string) => Promise<T>): Promise<T> {
  const failures: unknown[] = [];
  for (const base of bases) {
    try {
      return await attempt(base);
    } catch (error) {
      failures.push(error);
    }
  }
  throw mostTelling(failures);
}

export function mostTelling(failures: readonly unknown[]): unknown {
  return failures.find((error) => !(error instanceof DeviceError) || !TRANSPORT_CODES.includes(error.code)) ?? failures[0];
}

/** An HTTP 403 or 404: the file is not there (TUF 5.3.3: no newer root). */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof DeviceError) || error.code !== 'STW_DEVICE_HTTP_STATUS') return false;
  const status = error.details?.status;
  return status === 403 || status === 404;
}
