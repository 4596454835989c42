/**
 * Identifiers: rollouts are `rol_<uuid>`; history entries are UUIDv7 (RFC 9562 5.7), whose
 * leading 48-bit millisecond timestamp (from the injected clock) makes text order the order
 * of recording. Within one millisecond this process counts up in the 12-bit `rand_a` field
 * (RFC 9562 6.2, method 1, carrying into the timestamp on overflow), so entries it writes in
 * the same millisecond keep their order too; across replicas the order within a millisecond
 * is arbitrary.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export function newRolloutId(): string {
  return `rol_${randomUUID()}`;
}

const COUNTER_MAX = 0x0fff;
let lastMs = -1;
let counter = 0;

export function historyId(now: Date): string {
  let ms = Math.max(0, Math.trunc(now.getTime()));
  if (ms <= lastMs && lastMs - ms < 1000) {
    // Same millisecond (or a clock a little behind the last id): keep counting after it.
    ms = lastMs;
    counter += 1;
    if (counter > COUNTER_MAX) {
      ms += 1;
      counter = 0;
    }
  } else {
    counter = randomInt(0, 1024); // leaves room to count within the millisecond
  }
  lastMs = ms;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6); // unix_ts_ms
  bytes.writeUInt16BE(0x7000 | counter, 6); // version 7, rand_a
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
