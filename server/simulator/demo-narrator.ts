/**
 * How `npm run demo` tells its story on the terminal: numbered steps and notes on stdout,
 * progress bars on stderr (`ProgressBar` in items: redrawn on a terminal, one summary line in
 * a log), waits that poll a condition until it holds or a deadline passes, and the closing
 * summary table.
 *
 * @example
 * const say = new Narrator(process.stdout, process.stderr);
 * say.step('50 terminals enrol');
 * await say.progress('enrolled', 50, async () => fleetStatus().enrolled, { timeoutMs: 120_000 });
 */
import type { OutputStream } from '../cli/cli-io.js';
import { ProgressBar } from '../cli/progress-bar.js';
import { formatTable } from '../cli/table.js';

export class DemoTimeout extends Error {
  constructor(what: string, seconds: number, last: string) {
    super(`${what}: not reached within ${seconds} s (last: ${last})`);
    this.name = 'DemoTimeout';
  }
}

const POLL_MS = 1_000;

export class Narrator {
  readonly #out: OutputStream;
  readonly #err: OutputStream;
  #step = 0;

  constructor(out: OutputStream, err: OutputStream) {
    this.#out = out;
    this.#err = err;
  }

  title(text: string): void {
    this.#out.write(`\n${text}\n${'='.repeat(text.length)}\n`);
  }

  step(text: string): void {
    this.#step += 1;
    this.#out.write(`\n${this.#step}. ${text}\n`);
  }

  note(text: string): void {
    this.#out.write(`   ${text}\n`);
  }

  /**
   * Polls `current()` about every second, drawing a bar towards `total`, until it reaches
   * `total` (or `done` says so); throws DemoTimeout after `timeoutMs`.
   */
  async progress(label: string, total: number, current: () => Promise<number>, options: { timeoutMs: number; done?: (value: number) => boolean | Promise<boolean> }): Promise<number> {
    const bar = new ProgressBar(this.#err, { label: `   ${label}`, total, now: () => Date.now(), units: 'items', redrawMs: 200 });
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const value = await current();
      bar.update(Math.min(value, total));
      if (options.done ? await options.done(value) : value >= total) {
        bar.finish();
        return value;
      }
      if (Date.now() > deadline) {
        bar.abandon();
        throw new DemoTimeout(label, Math.round(options.timeoutMs / 1000), `${value} / ${total}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Polls `check()` until it returns a value (not undefined); throws DemoTimeout after `timeoutMs`. */
  async until<T>(what: string, check: () => Promise<T | undefined>, options: { timeoutMs: number }): Promise<T> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new DemoTimeout(what, Math.round(options.timeoutMs / 1000), 'not yet');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  summary(rows: readonly (readonly [string, string])[], footer: readonly string[]): void {
    this.title('Summary');
    const table = formatTable(['what', 'outcome'], rows);
    this.#out.write(table);
    for (const line of footer) this.#out.write(`${line}\n`);
  }
}
