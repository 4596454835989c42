/**
 * Identifiers: rollouts are `rol_<uuid>`; history entries are UUIDv7 (RFC 9562 5.7), whose
 * leading 48-bit millisecond timestamp makes text order the order of recording (from the
 * injected clock, so tests with a fake clock see the order they made). Entries written together
 * take consecutive values in the 12-bit `rand_a` field (RFC 9562 6.2, method 1), so they keep
 * their order within one millisecond too.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export function newRolloutId(): string {
  return `rol_${randomUUID()}`;
}

/** `sequence` (0..4095) fills `rand_a`; consecutive values sort in order. */
export function historyId(now: Date, sequence: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.max(0, Math.trunc(now.getTime())), 0, 6); // RFC 9562 5.7: unix_ts_ms
  bytes.writeUInt16BE(0x7000 | (sequence & 0x0fff), 6); // version 7, rand_a
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
