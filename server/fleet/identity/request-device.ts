/**
 * What the device routes find on the request: the raw body bytes (kept by the JSON parser
 * for the RFC 9530 digest check) and the device whose signature was verified.
 */
import 'fastify';
import type { DeviceRecord } from '../devices/device-record.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received (JSON bodies only); undefined for a body-less request. */
    rawBody: Buffer | undefined;
    /** Set by `access: 'device'` once the request's signature verified. */
    device: DeviceRecord | undefined;
  }
}
