/**
 * A simulated terminal's power, as seen by its disk: every durable write step of the SDK
 * passes `onStep` (device-sdk DurableFs, the same seam as the SDK's crash tests). When an
 * install starts writing a slot image, the dice decide whether the power fails during it;
 * if so, it fails a few steps later: that step and every later one throw `PowerCut`, so
 * nothing more reaches the disk, just as if the terminal had lost power before that step.
 * The terminal then discards everything it held in memory and powers on with a new supply.
 *
 * @example
 * const power = new PowerSupply({ dice, rate: () => 0.3 });
 * const fs = new DurableFs({ onStep: power.onStep });
 */
import type { DurableStep } from '../../device-sdk/durable/durable-fs.js';
import type { Dice } from './dice.js';

export class PowerCut extends Error {
  constructor(step: DurableStep) {
    super(`power cut before ${step.kind} ${step.path}`);
    this.name = 'PowerCut';
  }
}

/** Durable steps after the start of a slot write within which the cut falls. */
const MAX_STEPS_INTO_INSTALL = 16;
const SLOT_IMAGE = /slot-[ab]\.img$/;

export class PowerSupply {
  readonly #dice: Dice;
  readonly #rate: () => number;
  #on = true;
  #stepsLeft: number | undefined;
  /** The step the power failed at, once it did. */
  cutAt: DurableStep | undefined;

  constructor(options: { dice: Dice; rate: () => number }) {
    this.#dice = options.dice;
    this.#rate = options.rate;
  }

  get on(): boolean {
    return this.#on;
  }

  readonly onStep = (step: DurableStep): void => {
    if (!this.#on) throw new PowerCut(step);
    if (this.#stepsLeft === undefined && step.kind === 'open' && SLOT_IMAGE.test(step.path) && this.#dice.chance(this.#rate())) {
      this.#stepsLeft = this.#dice.between(0, MAX_STEPS_INTO_INSTALL);
    }
    if (this.#stepsLeft === undefined) return;
    if (this.#stepsLeft > 0) {
      this.#stepsLeft -= 1;
      return;
    }
    this.#on = false;
    this.cutAt = step;
    throw new PowerCut(step);
  };
}
