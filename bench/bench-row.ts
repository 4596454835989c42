/**
 * The one row shape every benchmark returns, its goal, and the table they print.
 * A row compares Steward's path (`value`) with a baseline measured in the same run; `ratio`
 * is value / baseline. The goal is on the ratio (`>= 0.9x`: at least 0.9 times the baseline)
 * or on the value itself (`< 25 ms`), and `met` says whether the run reached it; a row without
 * a goal is context (e.g. why node-forge is not on the hot path).
 *
 * @example
 * const rows = [benchRow({ bench: 'manifests', figure: 'Ed25519 verify', value: 9000, baseline: 10000, unit: 'verify/s', goal: atLeast(0.9) })];
 * printTable(rows); // ... ratio 0.900  goal >= 0.9x  met yes
 */

/** `of: 'ratio'` compares value / baseline with `target`; `of: 'value'` compares the value (in the row's unit). */
export interface Goal {
  readonly op: '>=' | '<=' | '<';
  readonly target: number;
  readonly of: 'ratio' | 'value';
}

export interface BenchRow {
  readonly bench: string;
  readonly figure: string;
  /** The measured value of Steward's path. */
  readonly value: number;
  /** The same measure for the baseline, run in the same script. */
  readonly baseline: number;
  /** What the baseline is, when the figure does not say it (e.g. "sha256sum"). */
  readonly baselineName?: string;
  readonly unit: string;
  /** value / baseline. */
  readonly ratio: number;
  /** undefined: a row shown for context. */
  readonly goal: Goal | undefined;
  /** Whether the goal was reached; undefined without a goal. */
  readonly met: boolean | undefined;
}

/** At least `target` times the baseline. */
export const atLeast = (target: number): Goal => ({ op: '>=', target, of: 'ratio' });
/** At most `target` times the baseline. */
export const atMost = (target: number): Goal => ({ op: '<=', target, of: 'ratio' });
/** Strictly less than `target` times the baseline ("lower than the baseline": `lessThan(1)`). */
export const lessThan = (target: number): Goal => ({ op: '<', target, of: 'ratio' });
/** The value itself below `target` (in the row's unit). */
export const below = (target: number): Goal => ({ op: '<', target, of: 'value' });

export interface RowFields {
  readonly bench: string;
  readonly figure: string;
  readonly value: number;
  readonly baseline: number;
  readonly baselineName?: string;
  readonly unit: string;
  readonly goal?: Goal;
  /** False when the run itself was not clean (errors, unexpected answers): the goal is then not met. */
  readonly valid?: boolean;
}

export function benchRow(fields: RowFields): BenchRow {
  const ratio = fields.value / fields.baseline;
  const { valid, goal, ...rest } = fields;
  return { ...rest, ratio, goal, met: goal === undefined ? undefined : (valid ?? true) && reaches(goal, goal.of === 'ratio' ? ratio : fields.value) };
}

function reaches(goal: Goal, measured: number): boolean {
  switch (goal.op) {
    case '>=':
      return measured >= goal.target;
    case '<=':
      return measured <= goal.target;
    case '<':
      return measured < goal.target;
    default: {
      const unknown: never = goal.op;
      throw new Error(`unknown goal ${String(unknown)}`);
    }
  }
}

/** `>= 0.9x`, `<= 0.5x`, `< 25 ms`, or `-` for context rows. */
export function goalText(row: Pick<BenchRow, 'goal' | 'unit'>): string {
  if (row.goal === undefined) return '-';
  return row.goal.of === 'ratio' ? `${row.goal.op} ${row.goal.target}x` : `${row.goal.op} ${row.goal.target} ${row.unit}`;
}

/** One table: figure, value, baseline, ratio, goal, met. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['bench', 'figure', 'value', 'baseline', 'ratio', 'goal', 'met'];
  const lines = rows.map((row) => [
    row.bench,
    row.figure,
    `${format(row.value)} ${row.unit}`,
    `${format(row.baseline)} ${row.unit}${row.baselineName ? ` (${row.baselineName})` : ''}`,
    `${row.ratio.toFixed(3)}x`,
    goalText(row),
    row.met === undefined ? '-' : row.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  const render = (cells: readonly string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...lines.map(render)].join('\n') + '\n';
}

export function printTable(rows: readonly BenchRow[]): void {
  process.stdout.write(formatTable(rows));
}

/** The rows as `npm run bench` writes them (bench/results/latest.json), with the goal spelled out. */
export function resultsJson(rows: readonly BenchRow[], when: Date): string {
  const summary = { rows: rows.length, withGoal: rows.filter((row) => row.goal !== undefined).length, met: rows.filter((row) => row.met === true).length };
  return `${JSON.stringify({ date: when.toISOString(), node: process.version, summary, rows: rows.map((row) => ({ ...row, goalText: goalText(row) })) }, null, 2)}\n`;
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
