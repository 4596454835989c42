/**
 * `FileSlotInstaller`: the reference `SlotInstaller`, with two files standing in for the A/B
 * partitions and a boot-control record standing in for the bootloader environment, plus
 * `boot()`, which does at power-on what the bootloader would do (see simulated-boot.ts).
 * Every disk change goes through DurableFs, so the power-cut tests reach each one.
 *
 * Order of an install: record "inactive slot empty" -> write + fsync the slot -> record the
 * slot's image -> mark it for a trial. A cut at any point leaves the active slot untouched
 * and booted; only the last step, one atomic record replace, makes the new slot bootable.
 *
 * @example
 * const installer = await FileSlotInstaller.provision('/var/steward/slots', factoryImage, '1.0.0');
 * await installer.writeInactive({ image: fileChunks(path), sha256, length, version: '1.1.0' });
 * await installer.markInactiveForTrial(3);
 * await installer.boot(); // { slot: 'b', trial: true }
 */
import { join } from 'node:path';
import { DeviceError } from '../errors.js';
import { DurableFs } from '../durable/durable-fs.js';
import { readBootControl, writeBootControl } from './boot-control.js';
import { chooseBoot, type BootOutcome } from './simulated-boot.js';
import { otherSlot, type BootState, type SlotImage, type SlotInstaller, type SlotName, type SlotWriteRequest } from './slot-installer.js';
import { sha256OfFile } from './sha256-of-file.js';
import { writeSlotImage } from './slot-writer.js';

export class FileSlotInstaller implements SlotInstaller {
  readonly directory: string;
  readonly #fs: DurableFs;

  constructor(directory: string, options: { fs?: DurableFs } = {}) {
    this.directory = directory;
    this.#fs = options.fs ?? new DurableFs();
  }

  /** Factory state: `image` in slot A, A active and booted, B empty. */
  static async provision(directory: string, image: Uint8Array, version: string, options: { fs?: DurableFs } = {}): Promise<FileSlotInstaller> {
    const fs = options.fs ?? new DurableFs();
    await fs.ensureDirectory(directory);
    const installer = new FileSlotInstaller(directory, { fs });
    await fs.writeFileAtomic(installer.slotPath('a'), image);
    const written = await sha256OfFile(installer.slotPath('a'));
    const slots = { a: { ...written, version }, b: undefined };
    await writeBootControl(fs, installer.recordPath, { active: 'a', booted: 'a', trial: undefined, attemptsLeft: 0, slots, fallback: undefined });
    return installer;
  }

  get recordPath(): string {
    return join(this.directory, 'boot-control.json');
  }

  slotPath(slot: SlotName): string {
    return join(this.directory, `slot-${slot}.img`);
  }

  bootState(): Promise<BootState> {
    return readBootControl(this.recordPath);
  }

  async inactiveSlot(): Promise<SlotName> {
    return otherSlot((await this.bootState()).active);
  }

  async writeInactive(request: SlotWriteRequest): Promise<SlotImage> {
    const state = await this.bootState();
    if (state.trial !== undefined || state.booted !== state.active) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', 'cannot write a slot while a trial boot is pending', {
        details: { active: state.active, booted: state.booted, trial: state.trial },
      });
    }
    const target = otherSlot(state.active);
    if (state.slots[target] !== undefined) await this.#write({ ...state, slots: { ...state.slots, [target]: undefined } });
    const tooLong = (length: number) =>
      new DeviceError('STW_DEVICE_TOO_LARGE', `image exceeds ${request.length} bytes`, { details: { length, maxLength: request.length } });
    const written = await writeSlotImage(this.#fs, this.slotPath(target), request.image, request.length, tooLong);
    if (written.sha256 !== request.sha256.toLowerCase() || written.length !== request.length) {
      throw new DeviceError('STW_DEVICE_TARGET_MISMATCH', `image written to slot ${target} does not match`, {
        details: { reason: 'hash', slot: target, expected: request.sha256, actual: written.sha256, length: written.length },
      });
    }
    const image: SlotImage = { ...written, version: request.version };
    await this.#write({ ...(await this.bootState()), slots: { ...state.slots, [target]: image } });
    return image;
  }

  async markInactiveForTrial(attempts: number): Promise<void> {
    if (!Number.isInteger(attempts) || attempts < 1) throw new DeviceError('STW_DEVICE_STATE_INVALID', 'attempts must be >= 1', { details: { attempts } });
    const state = await this.bootState();
    const target = otherSlot(state.active);
    if (state.slots[target] === undefined || state.booted !== state.active) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `slot ${target} holds no verified image to try`, { details: { slot: target } });
    }
    await this.#write({ ...state, trial: target, attemptsLeft: attempts, fallback: undefined });
  }

  async markGood(): Promise<void> {
    const state = await this.bootState();
    if (state.trial === undefined && state.booted === state.active) return;
    if (state.trial === undefined || state.booted !== state.trial) {
      throw new DeviceError('STW_DEVICE_STATE_INVALID', 'the running slot is not the trial slot', { details: { booted: state.booted, trial: state.trial } });
    }
    await this.#write({ ...state, active: state.trial, trial: undefined, attemptsLeft: 0 });
  }

  async rollback(): Promise<void> {
    const state = await this.bootState();
    if (state.trial === undefined) return;
    await this.#write({ ...state, trial: undefined, attemptsLeft: 0 });
  }

  /** Power-on: decide and record which slot boots, as the bootloader would. */
  async boot(): Promise<BootOutcome> {
    const state = await this.bootState();
    const intact = { a: await this.#intact(state, 'a'), b: await this.#intact(state, 'b') };
    const { next, outcome } = chooseBoot(state, intact);
    await this.#write(next);
    return outcome;
  }

  async #intact(state: BootState, slot: SlotName): Promise<boolean> {
    const recorded = state.slots[slot];
    if (recorded === undefined) return false;
    const actual = await sha256OfFile(this.slotPath(slot)).catch(() => undefined);
    return actual?.sha256 === recorded.sha256 && actual.length === recorded.length;
  }

  #write(state: BootState): Promise<void> {
    return writeBootControl(this.#fs, this.recordPath, state);
  }
}
