/**
 * The boot-control record of the file-backed installer: the equivalent of a U-Boot or GRUB
 * environment block. It is small JSON, always replaced whole through DurableFs (temp, fsync,
 * rename, fsync dir), so a power cut leaves the old record or the new one, never a mix.
 *
 * ```json
 * { "schema": 1, "active": "a", "booted": "a", "trial": null, "attempts_left": 0,
 *   "slots": { "a": { "sha256": "...", "length": 4096, "version": "1.0.0" }, "b": null },
 *   "fallback": null }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { DeviceError } from '../errors.js';
import type { DurableFs } from '../durable/durable-fs.js';
import type { BootFallback, BootState, SlotImage, SlotName } from './slot-installer.js';

const SCHEMA = 1;

export async function readBootControl(path: string): Promise<BootState> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DeviceError('STW_DEVICE_STATE_INVALID', `no boot-control record at ${path}`, { cause: error, details: { path } });
  }
  try {
    return fromWire(JSON.parse(text) as Record<string, unknown>);
  } catch (error) {
    throw new DeviceError('STW_DEVICE_STATE_INVALID', `boot-control record at ${path} is malformed`, { cause: error, details: { path } });
  }
}

export async function writeBootControl(fs: DurableFs, path: string, state: BootState): Promise<void> {
  await fs.writeFileAtomic(path, Buffer.from(`${JSON.stringify(toWire(state))}\n`));
}

function toWire(state: BootState): Record<string, unknown> {
  return {
    schema: SCHEMA,
    active: state.active,
    booted: state.booted,
    trial: state.trial ?? null,
    attempts_left: state.attemptsLeft,
    slots: { a: state.slots.a ?? null, b: state.slots.b ?? null },
    fallback: state.fallback ?? null,
  };
}

function fromWire(wire: Record<string, unknown>): BootState {
  if (wire.schema !== SCHEMA) throw new Error(`unknown schema ${String(wire.schema)}`);
  const slots = wire.slots as Record<string, unknown> | undefined;
  const fallback = wire.fallback as Record<string, unknown> | null;
  const attemptsLeft = wire.attempts_left;
  if (typeof attemptsLeft !== 'number' || !Number.isInteger(attemptsLeft) || attemptsLeft < 0) throw new Error('attempts_left');
  return {
    active: slotName(wire.active),
    booted: slotName(wire.booted),
    trial: wire.trial === null ? undefined : slotName(wire.trial),
    attemptsLeft,
    slots: { a: slotImage(slots?.a), b: slotImage(slots?.b) },
    fallback: fallback === null ? undefined : fallbackOf(fallback),
  };
}

function slotName(value: unknown): SlotName {
  if (value !== 'a' && value !== 'b') throw new Error(`bad slot ${String(value)}`);
  return value;
}

function slotImage(value: unknown): SlotImage | undefined {
  if (value === null) return undefined;
  const image = value as Record<string, unknown>;
  if (typeof image.sha256 !== 'string' || typeof image.length !== 'number' || typeof image.version !== 'string') {
    throw new Error('bad slot image');
  }
  return { sha256: image.sha256, length: image.length, version: image.version };
}

function fallbackOf(value: Record<string, unknown>): BootFallback {
  if (value.reason !== 'boot-limit' && value.reason !== 'slot-corrupt') throw new Error('bad fallback reason');
  return { slot: slotName(value.slot), reason: value.reason };
}
