// npm run bench: every benchmark under bench/ (each module's `run()`), one table of ratios
// against their baselines with the goal and whether it was met, written as JSON to
// bench/results/latest.json (not committed). A goal not met is a NO in the table (figures
// are measurements, not tests); a benchmark that fails makes the exit code 1.
//   npm run bench                    every benchmark
//   npm run bench -- manifests install   only those
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchRow, formatTable, resultsJson, type BenchRow } from './bench-row.js';

const here = dirname(fileURLToPath(import.meta.url));
const helpers = new Set(['bench-row.ts', 'run-all.ts']);
const only = process.argv.slice(2).filter((argument) => !argument.startsWith('-'));

const files = (await readdir(here)).filter((name) => name.endsWith('.ts') && !helpers.has(name)).sort();
const unknown = only.filter((name) => !files.includes(`${name}.ts`));
if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(', ')} (there are: ${files.map((file) => file.replace(/\.ts$/, '')).join(', ')})`);

const rows: BenchRow[] = [];
let failures = 0;
for (const file of files) {
  const name = file.replace(/\.ts$/, '');
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`running ${name} ...\n`);
  const started = performance.now();
  try {
    const module = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<BenchRow[]> };
    if (typeof module.run !== 'function') throw new Error(`${file} exports no run()`);
    rows.push(...(await module.run()));
  } catch (error) {
    // One failed benchmark must not hide the others' figures: it becomes a row that is not met.
    failures += 1;
    process.stderr.write(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    rows.push({ ...benchRow({ bench: name, figure: 'FAILED (see stderr)', value: Number.NaN, baseline: Number.NaN, unit: '' }), met: false });
  }
  process.stderr.write(`${name}: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

process.stdout.write(formatTable(rows));
process.stdout.write(`${rows.filter((row) => row.met === true).length} of ${rows.filter((row) => row.goal !== undefined).length} goals met${failures > 0 ? `, ${failures} benchmark(s) failed` : ''}\n`);
await mkdir(join(here, 'results'), { recursive: true });
await writeFile(join(here, 'results', 'latest.json'), resultsJson(rows, new Date()));
process.stderr.write('written bench/results/latest.json\n');
if (failures > 0) process.exitCode = 1;
