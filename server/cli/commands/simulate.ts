/**
 * `steward simulate`: a fleet of N simulated terminals (real SDK agents in this process)
 * against a development server, through a fault proxy, reporting convergence, bricked
 * terminals, 5xx answers not explained by an injected fault and the spawned server's memory.
 * See docs/simulator.md.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliError, usageError } from '../cli-error.js';
import type { OutputStream } from '../cli-io.js';
import type { Command } from '../command.js';

export const simulate: Command = {
  words: ['simulate'],
  summary: 'Run N simulated terminals with injected faults against a development server and report convergence',
  options: {
    server: { kind: 'string', value: 'URL', description: 'a running development server (npm start); its data directory is --data-dir' },
    'spawn-server': { kind: 'boolean', description: 'set up a new development server (steward init --dev) and run it as a child process; needed for server-restart' },
    'data-dir': { kind: 'string', value: 'DIR', description: 'the development data directory (default ./data with --server; a new one under the work directory with --spawn-server)' },
    'database-url': { kind: 'string', value: 'URL', description: 'with --spawn-server: DATABASE_URL of the spawned server (default SQLite in its data directory)' },
    terminals: { kind: 'string', value: 'N', description: 'simulated terminals (default 50)' },
    duration: { kind: 'string', value: 'TIME', description: 'how long faults are injected, e.g. 90s, 10m (default 2m)' },
    settle: { kind: 'string', value: 'TIME', description: 'after that, longest wait for every terminal to converge (default 3m)' },
    faults: { kind: 'string', value: 'LIST', description: 'drop,slow,truncate,power-cut,server-restart, all or none (default none)' },
    'poll-interval': { kind: 'string', value: 'TIME', description: 'with --spawn-server: how often terminals check in, at least 10s (default 15s)' },
    'restart-every': { kind: 'string', value: 'TIME', description: 'with server-restart: time between two restarts (default 150s)' },
    'start-rate': { kind: 'string', value: 'N', description: 'terminals powered on per second (default 50)' },
    seed: { kind: 'string', value: 'N', description: 'seed of the fault dice (default 1)' },
    'work-dir': { kind: 'string', value: 'DIR', description: 'terminal state and scratch files (default: a temporary directory, removed afterwards)' },
    json: { kind: 'boolean', description: 'print the report as JSON instead of a table' },
    report: { kind: 'string', value: 'FILE', description: 'also write the report as JSON to FILE' },
  },
  details: 'Exit code 0 when every terminal converged, none is bricked and no 5xx answer is unexplained; 1 otherwise.\nExample: steward simulate --spawn-server --terminals 1000 --duration 10m --faults all --report soak.json',
  async run({ args, io }) {
    const { parseDuration, parseFaults, resolveSimulationConfig, runSimulation, formatReport } = await import('../../simulator/index.js');
    const spawn = args.flag('spawn-server');
    const serverUrl = args.optionalString('server');
    if (spawn === (serverUrl !== undefined)) throw usageError('give either --server URL or --spawn-server');
    const parsed = <T>(name: string, parse: (text: string) => T, fallback: T): T => {
      const text = args.optionalString(name);
      if (text === undefined) return fallback;
      try {
        return parse(text);
      } catch (error) {
        throw usageError(`--${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const config = resolveSimulationConfig({
      terminals: args.integer('terminals', { min: 1, max: 100_000, fallback: 50 }),
      durationMs: parsed('duration', parseDuration, 120_000),
      settleMs: parsed('settle', parseDuration, 180_000),
      faults: parsed('faults', parseFaults, new Set()),
      pollIntervalSeconds: Math.round(parsed('poll-interval', parseDuration, 15_000) / 1000),
      startRate: args.integer('start-rate', { min: 1, max: 10_000, fallback: 50 }),
      seed: args.integer('seed', { min: 0, fallback: 1 }),
      rates: { serverRestartEveryMs: parsed('restart-every', parseDuration, 150_000) },
    });
    // The director document's poll_interval_seconds is at least 10 (manifests/director).
    if (config.pollIntervalSeconds < 10) throw usageError('--poll-interval is at least 10s');
    if (!spawn && args.has('poll-interval')) throw usageError('--poll-interval sets the spawned server\'s interval: use it with --spawn-server');
    const dataDir = args.optionalString('data-dir');
    const databaseUrl = args.optionalString('database-url');
    const given = args.optionalString('work-dir');
    const workDir = given === undefined ? await mkdtemp(join(tmpdir(), 'steward-simulate-')) : resolve(given);
    if (given === undefined) io.stderr.write(`work directory ${workDir} (removed at the end)\n`);
    const progress = progressWriter(io.stderr);
    try {
      const report = await runSimulation({
        config,
        server: spawn ? { kind: 'spawn', ...(dataDir ? { dataDir: resolve(dataDir) } : {}), ...(databaseUrl ? { databaseUrl } : {}) } : { kind: 'existing', url: serverUrl ?? '', dataDir: resolve(dataDir ?? './data') },
        workDir,
        progress: progress.line,
        log: progress.note,
      });
      progress.done();
      io.stdout.write(args.flag('json') ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      const jsonFile = args.optionalString('report');
      if (jsonFile !== undefined) {
        await mkdir(dirname(resolve(jsonFile)), { recursive: true });
        await writeFile(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
      }
      if (!report.ok) throw new CliError('STW_CLI_SIMULATION_FAILED', 'the fleet did not converge cleanly (see the report)');
    } finally {
      if (given === undefined) await rm(workDir, { recursive: true, force: true });
    }
  },
};

/** On a terminal: one line redrawn in place; elsewhere: a line every 30 s. */
function progressWriter(stderr: OutputStream): { line: (text: string) => void; note: (text: string) => void; done: () => void } {
  let shown = false;
  let lastPrinted = 0;
  return {
    line(text) {
      if (stderr.isTTY) {
        const width = Math.max(20, (stderr.columns ?? 120) - 1);
        stderr.write(`\r${text.slice(0, width).padEnd(width)}`);
        shown = true;
      } else if (Date.now() - lastPrinted >= 30_000) {
        stderr.write(`${text}\n`);
        lastPrinted = Date.now();
      }
    },
    note(text) {
      stderr.write(`${shown ? '\n' : ''}${text}\n`);
      shown = false;
    },
    done() {
      if (shown) stderr.write('\n');
      shown = false;
    },
  };
}
