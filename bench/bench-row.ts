// The one row shape every benchmark returns, and the table they print.
export interface BenchRow {
  readonly bench: string;
  readonly figure: string;
  /** The measured value of Steward's path. */
  readonly value: number;
  /** The same measure for the baseline, run in the same script. */
  readonly baseline: number;
  readonly unit: string;
  /** value / baseline (or as the figure defines it). */
  readonly ratio: number;
  /** Human-readable goal, e.g. ">= 0.9". */
  readonly goal: string;
  readonly met: boolean;
}

export function printTable(rows: readonly BenchRow[]): void {
  const header = ['bench', 'figure', 'value', 'baseline', 'unit', 'ratio', 'goal', 'met'];
  const lines = rows.map((row) => [row.bench, row.figure, format(row.value), format(row.baseline), row.unit, row.ratio.toFixed(3), row.goal, row.met ? 'yes' : 'NO']);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const render = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  console.log(render(header));
  console.log(render(widths.map((width) => '-'.repeat(width))));
  for (const line of lines) console.log(render(line));
}

function format(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}

/** Run `body` repeatedly for about `milliseconds` and return calls per second. */
export function ratePerSecond(body: () => void, milliseconds: number): number {
  const end = performance.now() + milliseconds;
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now < end) {
    for (let i = 0; i < 64; i++) body();
    calls += 64;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}
