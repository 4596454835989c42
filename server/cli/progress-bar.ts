/**
 * Upload progress on stderr. On a terminal: one line redrawn in place (at most every
 * `redrawMs`), `label [#####.....] 45% 12.0 MiB / 27.0 MiB 35.2 MiB/s`. Elsewhere (logs, CI):
 * nothing while running and one summary line at the end. `units: 'items'` counts things
 * instead of bytes (`enrolling [#####.....] 45% 23 / 50`).
 *
 * @example
 * const progress = new ProgressBar(io.stderr, { label: 'uploading', total: size, now: io.now });
 * progress.update(sent); ... progress.finish();
 */
import type { OutputStream } from './cli-io.js';

const BAR_WIDTH = 24; // characters
const DEFAULT_REDRAW_MS = 100;

export class ProgressBar {
  readonly #stream: OutputStream;
  readonly #label: string;
  readonly #total: number;
  readonly #now: () => number;
  readonly #redrawMs: number;
  readonly #units: 'bytes' | 'items';
  readonly #startedAt: number;
  #lastDrawAt = -Infinity;
  #current = 0;
  #finished = false;

  constructor(stream: OutputStream, options: { label: string; total: number; now: () => number; redrawMs?: number; units?: 'bytes' | 'items' }) {
    this.#stream = stream;
    this.#label = options.label;
    this.#total = options.total;
    this.#now = options.now;
    this.#redrawMs = options.redrawMs ?? DEFAULT_REDRAW_MS;
    this.#units = options.units ?? 'bytes';
    this.#startedAt = options.now();
  }

  update(bytes: number): void {
    this.#current = bytes;
    if (!this.#stream.isTTY || this.#finished) return;
    const now = this.#now();
    if (now - this.#lastDrawAt < this.#redrawMs) return;
    this.#lastDrawAt = now;
    this.#stream.write(`\r${this.#line(now)}`);
  }

  /** The final state: the full bar and a newline on a terminal, a summary line elsewhere. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const now = this.#now();
    if (this.#stream.isTTY) {
      this.#stream.write(`\r${this.#line(now)}\n`);
      return;
    }
    const seconds = Math.max(now - this.#startedAt, 1) / 1000;
    if (this.#units === 'items') this.#stream.write(`${this.#label}: ${this.#current} / ${this.#total} in ${seconds.toFixed(1)} s\n`);
    else this.#stream.write(`${this.#label}: ${formatBytes(this.#current)} in ${seconds.toFixed(1)} s (${formatBytes(this.#current / seconds)}/s)\n`);
  }

  /** Ends the line on a terminal without a summary (the upload failed). */
  abandon(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#stream.isTTY && this.#lastDrawAt > -Infinity) this.#stream.write('\n');
  }

  #line(now: number): string {
    const fraction = this.#total > 0 ? Math.min(this.#current / this.#total, 1) : 1;
    const filled = Math.round(fraction * BAR_WIDTH);
    const seconds = Math.max(now - this.#startedAt, 1) / 1000;
    const rate = `${formatBytes(this.#current / seconds)}/s`;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    const amount = this.#units === 'items' ? `${this.#current} / ${this.#total}` : `${formatBytes(this.#current)} / ${formatBytes(this.#total)} ${rate}`;
    const line = `${this.#label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${percent} ${amount}`;
    // Fit the terminal; pad so that a shorter line covers the previous one.
    const columns = this.#stream.columns ?? 0;
    if (columns > 1 && line.length >= columns) return line.slice(0, columns - 1);
    return line.padEnd(Math.min(columns, 100) - 1);
  }
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
