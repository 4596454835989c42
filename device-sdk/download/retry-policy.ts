/**
 * Which download failures are worth another attempt, and what each does to the partial file.
 */
import type { DeviceError } from '../errors.js';

/** Transport trouble, server-side errors and a refused Range are retried; the rest are final. */
export function isRetryable(error: DeviceError): boolean {
  switch (error.code) {
    case 'STW_DEVICE_FETCH_FAILED':
      return error.details?.aborted !== true;
    case 'STW_DEVICE_FETCH_TIMEOUT':
    case 'STW_DEVICE_RANGE_UNSUPPORTED':
      return true;
    case 'STW_DEVICE_HTTP_STATUS': {
      const status = Number(error.details?.status);
      // RFC 9110 15.5.9 / 15.5.17 / 15.6: timeout, range not satisfiable, too many requests, 5xx.
      return status === 408 || status === 416 || status === 429 || status >= 500;
    }
    default:
      return false;
  }
}

/** A server that cannot serve the rest from our offset: start over from byte 0. */
export function restartsFromZero(error: DeviceError): boolean {
  return error.code === 'STW_DEVICE_RANGE_UNSUPPORTED' || (error.code === 'STW_DEVICE_HTTP_STATUS' && error.details?.status === 416);
}

/** The bytes on disk cannot be part of the right artifact: delete them. */
export function mustDiscardPartial(error: DeviceError): boolean {
  return error.code === 'STW_DEVICE_TARGET_MISMATCH' || error.code === 'STW_DEVICE_TOO_LARGE' || restartsFromZero(error);
}
