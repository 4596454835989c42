// npm run bench: every benchmark under bench/, one table of ratios against their baselines,
// written as JSON to bench/results/latest.json.
import { readdir, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printTable, type BenchRow } from './bench-row.js';

const here = dirname(fileURLToPath(import.meta.url));
const helpers = new Set(['bench-row.ts', 'run-all.ts']);
const only = process.argv.slice(2);

const files = (await readdir(here)).filter((name) => name.endsWith('.ts') && !helpers.has(name)).sort();
const rows: BenchRow[] = [];
for (const file of files) {
  const name = file.replace(/\.ts$/, '');
  if (only.length > 0 && !only.includes(name)) continue;
  console.error(`running ${name} ...`);
  const module = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<BenchRow[]> };
  if (typeof module.run !== 'function') continue;
  rows.push(...(await module.run()));
}
printTable(rows);
await mkdir(join(here, 'results'), { recursive: true });
await writeFile(join(here, 'results', 'latest.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
console.error(`written bench/results/latest.json`);
