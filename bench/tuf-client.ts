/**
 * TUF client benchmark (issue "Device SDK, part 1", Must show), run with
 * `npx tsx bench/tuf-client.ts`: Steward's client against tuf-js 5.0.1 in the same run, on
 * the same repository served over HTTP on 127.0.0.1 by this process.
 *
 * The repository: root at version 3 (a cold client walks two rotations), top-level targets
 * delegating to 20 vendor roles of 50 targets each, and a 64 MiB target. Figures:
 * - refresh, cold: from a metadata directory holding only root v1, refresh and look up a
 *   target of the last vendor role;
 * - refresh, warm: the same with every metadata file already current, a new client each time;
 * - refresh, poll loop: the same again as a terminal's poll loop runs it. A Steward `Updater`
 *   may refresh again and again (it keeps what it verified); a tuf-js `Updater` refreshes
 *   once ("Cannot update timestamp after snapshot"), so its loop makes a new one each poll;
 * - download 64 MiB: fetch, verify (sha256 + sha512, both listed) and place the target.
 * Steward's fs store makes each operation's changes durable together (every temporary file
 * written and fsynced at once, renames in workflow order, one directory fsync) and fsyncs the
 * downloaded artifact before renaming it into place; tuf-js writes without fsync. An extra
 * row runs the cold refresh with Steward's in-memory store, which shows how much of the cold
 * figure the fsyncs are. The figures depend on where the files go: on tmpfs (`--dir
 * /dev/shm`) an fsync costs next to nothing, on a disk it waits for the device.
 * Steward is compiled to JavaScript first (TypeScript API, as `npm run build` does), so both
 * clients run as plain JavaScript in plain `node` children: each figure runs in a child
 * process per client, a warm-up then N timed iterations, in alternating rounds (Steward,
 * tuf-js, Steward, ...) so load from elsewhere on the machine falls on both. Reported: the
 * median wall time and the largest peak RSS of the children. Goals: Steward <= 0.5x tuf-js
 * wall time, and a lower peak RSS.
 *
 * `run()` returns the rows for bench/run-all.ts. Files go under os.tmpdir() (or `--dir`) and
 * are removed. Options when run directly:
 *   --iterations N           timed iterations per child, refresh figures (7)
 *   --download-iterations N  timed iterations per child, download (2)
 *   --rounds N               children per client and figure (3)
 *   --big-mib N              size of the big target (64)
 *   --dir PATH               where metadata and downloads go (os.tmpdir()), e.g. /dev/shm
 *   --only FIGURE            refresh-cold | refresh-warm | refresh-poll | download (repeatable)
 *   --cpu-prof DIR           CPU profile of each child's timed iterations, into DIR
 *   --verbose                print each child's times and peak RSS on stderr
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { atMost, benchRow, lessThan, printTable, type BenchRow } from './bench-row.js';

const VENDORS = 20;
const TARGETS_PER_VENDOR = 50;
const LOOKUP = `vendor-${VENDORS - 1}/app-${TARGETS_PER_VENDOR - 1}.bin`;
const BIG = 'firmware/t100-full-image.bin';
const MiB = 1024 * 1024;

/**
 * `steward-memory`: Steward over a MemoryMetadataStore, to show what the fsyncs of the fs store cost.
 * `hash-floor` (download only): a bare node:http GET of the target that computes the two listed
 * digests and keeps nothing, the least any client verifying both on the thread that receives
 * can do.
 */
type Client = 'steward' | 'steward-memory' | 'tuf-js' | 'hash-floor';
type Figure = 'refresh-cold' | 'refresh-warm' | 'refresh-poll' | 'download';

interface ChildReport {
  /** Wall time of each timed iteration, milliseconds. */
  readonly times: number[];
  /** Peak resident set size of the child, KiB. */
  readonly maxRssKiB: number;
}

interface Setup {
  /** The compiled copy of this file, run by the children. */
  readonly childScript: string;
  readonly metadataUrl: string;
  readonly targetsUrl: string;
  readonly rootFile: string;
  readonly workDir: string;
  readonly cpuProf?: string | undefined;
}

export interface TufClientBenchOptions {
  /** Timed iterations per child for the refresh figures. */
  readonly iterations?: number;
  /** Timed iterations per child for the download. */
  readonly downloadIterations?: number;
  /** Children per client and figure, alternating with the other client. */
  readonly rounds?: number;
  /** Size of the big target; MiB. */
  readonly bigMiB?: number;
  /** Parent of the working directory (default os.tmpdir()). */
  readonly dir?: string;
  /** Only these figures (default all). */
  readonly only?: readonly Figure[];
  /** Print each child's times and peak RSS on stderr. */
  readonly verbose?: boolean;
  /** Profile each child's timed iterations (V8 sampling profiler), writing `<client>-<figure>-<n>.cpuprofile` into this directory. */
  readonly cpuProf?: string;
}

export async function run(options: TufClientBenchOptions = {}): Promise<BenchRow[]> {
  const { TufRepository } = await import('../test/helpers/tuf-repository.js');
  const repo = await TufRepository.create({ consistentSnapshot: true });
  for (let vendor = 0; vendor < VENDORS; vendor++) {
    repo.delegate('targets', `vendor-${vendor}`, { paths: [`vendor-${vendor}/*`] });
    for (let index = 0; index < TARGETS_PER_VENDOR; index++) {
      repo.addTarget(`vendor-${vendor}/app-${index}.bin`, `vendor ${vendor} app ${index}`, { role: `vendor-${vendor}`, custom: { version: `1.${index}.0` } });
    }
  }
  repo.addTarget(BIG, randomBytes((options.bigMiB ?? 64) * MiB));
  await repo.publish();
  for (let i = 0; i < 2; i++) {
    repo.rotateKeys('root');
    await repo.publish();
  }
  const server = await repo.serve();
  const workDir = await mkdtemp(join(options.dir ?? tmpdir(), 'steward-bench-tuf-'));
  try {
    const childScript = await compileSelf(join(workDir, 'dist'));
    const rootFile = join(workDir, 'root.json');
    await writeFile(rootFile, repo.metadata('root', 1));
    const setup: Setup = { childScript, metadataUrl: server.metadataUrl, targetsUrl: server.targetsUrl, rootFile, workDir, cpuProf: options.cpuProf };
    const figures: [Figure, string, number][] = [
      ['refresh-cold', 'refresh, cold (root x2, timestamp, snapshot, targets, 1 vendor role)', options.iterations ?? 7],
      ['refresh-warm', 'refresh, warm (nothing new, new client)', options.iterations ?? 7],
      ['refresh-poll', 'refresh, poll loop (nothing new)', options.iterations ?? 7],
      ['download', `download ${options.bigMiB ?? 64} MiB target`, options.downloadIterations ?? 2],
    ];
    const rows: BenchRow[] = [];
    for (const [figure, label, iterations] of figures) {
      if (options.only !== undefined && !options.only.includes(figure)) continue;
      const reports: Record<Client, ChildReport[]> = { steward: [], 'steward-memory': [], 'tuf-js': [], 'hash-floor': [] };
      const clients: Client[] = figure === 'refresh-cold' ? ['steward', 'steward-memory', 'tuf-js'] : figure === 'download' ? ['steward', 'tuf-js', 'hash-floor'] : ['steward', 'tuf-js'];
      for (let round = 0; round < (options.rounds ?? 3); round++) {
        for (const client of clients) {
          const report = await measure(client, figure, iterations, setup);
          if (options.verbose === true) process.stderr.write(`${figure} ${client}: ${report.times.map((time) => time.toFixed(1)).join(' ')} ms, ${(report.maxRssKiB / 1024).toFixed(1)} MiB\n`);
          reports[client].push(report);
        }
      }
      const steward = combine(reports.steward);
      const tufJs = combine(reports['tuf-js']);
      rows.push(benchRow({ bench: 'tuf-client', figure: `${label}: wall time`, value: median(steward.times), baseline: median(tufJs.times), baselineName: 'tuf-js', unit: 'ms', goal: atMost(0.5) }));
      rows.push(benchRow({ bench: 'tuf-client', figure: `${label}: peak RSS`, value: steward.maxRssKiB / 1024, baseline: tufJs.maxRssKiB / 1024, baselineName: 'tuf-js', unit: 'MiB', goal: lessThan(1) }));
      if (reports['steward-memory'].length > 0) {
        const inMemory = median(combine(reports['steward-memory']).times);
        rows.push(benchRow({ bench: 'tuf-client', figure: `${label}: wall time, Steward store in memory (no fsync)`, value: inMemory, baseline: median(tufJs.times), baselineName: 'tuf-js', unit: 'ms' }));
      }
      if (reports['hash-floor'].length > 0) {
        const floor = median(combine(reports['hash-floor']).times);
        rows.push(benchRow({ bench: 'tuf-client', figure: `${label}: floor (bare GET + sha256 + sha512, nothing written)`, value: floor, baseline: median(tufJs.times), baselineName: 'tuf-js', unit: 'ms' }));
      }
    }
    return rows;
  } finally {
    await server.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

function combine(reports: readonly ChildReport[]): ChildReport {
  return { times: reports.flatMap((report) => report.times), maxRssKiB: Math.max(...reports.map((report) => report.maxRssKiB)) };
}

/**
 * Compile this file and everything it imports (device-sdk, manifests, the fixture builder)
 * to JavaScript under `outDir`, with the project's compiler options; returns the compiled
 * path of this file. `node_modules` is linked in so the output resolves its packages.
 */
async function compileSelf(outDir: string): Promise<string> {
  const { default: ts } = await import('typescript');
  const self = fileURLToPath(import.meta.url);
  const root = dirname(dirname(self));
  const configPath = join(root, 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram([self], { ...parsed.options, noEmit: false, outDir, rootDir: root, declaration: false, sourceMap: false, incremental: false });
  const result = program.emit();
  if (result.emitSkipped) throw new Error('compiling the benchmark failed');
  await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');
  await symlink(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  return join(outDir, relative(root, self)).replace(/\.ts$/, '.js');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function measure(client: Client, figure: Figure, iterations: number, setup: Setup): Promise<ChildReport> {
  const profile = setup.cpuProf === undefined ? [] : [join(setup.cpuProf, `${client}-${figure}-${process.hrtime.bigint()}.cpuprofile`)];
  const args = [setup.childScript, '--child', client, figure, String(iterations), setup.metadataUrl, setup.targetsUrl, setup.rootFile, setup.workDir, ...profile];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${client} ${figure} child exited with ${code}`));
      else resolve(JSON.parse(stdout) as ChildReport);
    });
  });
}

// ---- child side: one client, one figure ----

interface ClientRun {
  /** A new client on `metadataDir` each call. */
  refreshAndLookUp(metadataDir: string, target: string): Promise<unknown>;
  /** What a poll loop on `metadataDir` runs each time (one long-lived client where the client allows it). */
  poller(metadataDir: string, target: string): () => Promise<unknown>;
  /** Refresh and look `target` up (untimed); the returned function downloads it (timed). */
  prepareDownload(metadataDir: string, target: string): Promise<(destination: string) => Promise<unknown>>;
}

async function clientRun(client: Client, setup: Setup): Promise<ClientRun> {
  if (client === 'hash-floor') return hashFloorRun(setup);
  if (client !== 'tuf-js') {
    const { Updater } = await import('../device-sdk/tuf/index.js');
    const { FsMetadataStore, MemoryMetadataStore } = await import('../device-sdk/store/index.js');
    const store = (dir: string) => (client === 'steward' ? new FsMetadataStore(dir) : new MemoryMetadataStore({ root: readFileSync(join(dir, 'root.json')) }));
    const updater = (dir: string) => new Updater({ metadataUrl: setup.metadataUrl, targetUrl: setup.targetsUrl, store: store(dir) });
    return {
      refreshAndLookUp: async (dir, target) => {
        const client = updater(dir);
        await client.refresh();
        return client.getTargetInfo(target);
      },
      poller: (dir, target) => {
        const client = updater(dir);
        return async () => {
          await client.refresh();
          return client.getTargetInfo(target);
        };
      },
      prepareDownload: async (dir, target) => {
        const client = updater(dir);
        const info = await client.getTargetInfo(target);
        if (info === undefined) throw new Error(`${target} not found`);
        return (destination) => client.downloadTarget(info, destination);
      },
    };
  }
  const { Updater } = await import('tuf-js');
  const updater = (dir: string) => new Updater({ metadataDir: dir, metadataBaseUrl: setup.metadataUrl, targetBaseUrl: setup.targetsUrl, targetDir: setup.workDir });
  return {
    refreshAndLookUp: async (dir, target) => {
      const client = updater(dir);
      await client.refresh();
      return client.getTargetInfo(target);
    },
    // A tuf-js Updater cannot refresh twice: a new one per poll.
    poller: (dir, target) => async () => {
      const client = updater(dir);
      await client.refresh();
      return client.getTargetInfo(target);
    },
    prepareDownload: async (dir, target) => {
      const client = updater(dir);
      const info = await client.getTargetInfo(target);
      if (info === undefined) throw new Error(`${target} not found`);
      return (destination) => client.downloadTarget(info, destination);
    },
  };
}

/** The download floor: the target's URL and digests come from Steward's client (untimed); the timed part is one bare GET hashed with both. */
async function hashFloorRun(setup: Setup): Promise<ClientRun> {
  const steward = await clientRun('steward', setup);
  const { get } = await import('node:http');
  const { createHash } = await import('node:crypto');
  const { targetUrlPath } = await import('../device-sdk/tuf/target-location.js');
  const unsupported = () => Promise.reject(new Error('the floor only downloads'));
  return {
    refreshAndLookUp: steward.refreshAndLookUp,
    poller: () => unsupported,
    prepareDownload: async (dir, target) => {
      const { Updater } = await import('../device-sdk/tuf/index.js');
      const { FsMetadataStore } = await import('../device-sdk/store/index.js');
      const info = await new Updater({ metadataUrl: setup.metadataUrl, store: new FsMetadataStore(dir) }).getTargetInfo(target);
      if (info === undefined) throw new Error(`${target} not found`);
      const url = `${setup.targetsUrl}/${targetUrlPath(info, true)}`;
      return () =>
        new Promise<unknown>((resolve, reject) => {
          get(url, (response) => {
            const sha256 = createHash('sha256');
            const sha512 = createHash('sha512');
            response.on('data', (chunk: Buffer) => {
              sha256.update(chunk);
              sha512.update(chunk);
            });
            response.on('end', () => {
              if (sha256.digest('hex') !== info.hashes.sha256 || sha512.digest('hex') !== info.hashes.sha512) reject(new Error('digests differ'));
              else resolve(undefined);
            });
            response.on('error', reject);
          }).on('error', reject);
        });
    },
  };
}

async function child(client: Client, figure: Figure, iterations: number, setup: Setup): Promise<ChildReport> {
  const runner = await clientRun(client, setup);
  const base = await mkdtemp(join(setup.workDir, `${client}-${figure}-`));
  const freshMetadataDir = async (name: string) => {
    const dir = join(base, name);
    await mkdir(dir, { recursive: true });
    await cp(setup.rootFile, join(dir, 'root.json'));
    return dir;
  };
  const times: number[] = [];
  const profiler = setup.cpuProf === undefined ? undefined : await TimedProfiler.start();
  const timed = async (body: () => Promise<unknown>) => {
    profiler?.resume();
    const start = performance.now();
    await body();
    const elapsed = performance.now() - start;
    profiler?.pause();
    return elapsed;
  };
  switch (figure) {
    case 'refresh-cold':
      for (let i = 0; i <= iterations; i++) {
        const dir = await freshMetadataDir(`cold-${i}`);
        const elapsed = await timed(() => runner.refreshAndLookUp(dir, LOOKUP));
        if (i > 0) times.push(elapsed); // iteration 0 warms up
      }
      break;
    case 'refresh-warm': {
      const dir = await freshMetadataDir('warm');
      await runner.refreshAndLookUp(dir, LOOKUP);
      for (let i = 0; i <= iterations; i++) {
        const elapsed = await timed(() => runner.refreshAndLookUp(dir, LOOKUP));
        if (i > 0) times.push(elapsed);
      }
      break;
    }
    case 'refresh-poll': {
      const poll = runner.poller(await freshMetadataDir('poll'), LOOKUP);
      await poll();
      for (let i = 0; i <= iterations; i++) {
        const elapsed = await timed(poll);
        if (i > 0) times.push(elapsed);
      }
      break;
    }
    case 'download': {
      const dir = await freshMetadataDir('download');
      await runner.refreshAndLookUp(dir, BIG);
      for (let i = 0; i <= iterations; i++) {
        const destination = join(base, `big-${i}.bin`);
        const download = await runner.prepareDownload(dir, BIG);
        const elapsed = await timed(() => download(destination));
        await rm(destination, { force: true });
        if (i > 0) times.push(elapsed);
      }
      break;
    }
  }
  if (profiler !== undefined && setup.cpuProf !== undefined) await writeFile(setup.cpuProf, JSON.stringify(await profiler.stop()));
  await rm(base, { recursive: true, force: true });
  return { times, maxRssKiB: await peakRssKiB() };
}

/**
 * A V8 CPU profile (inspector, 100 us sampling) that keeps only the samples taken inside the
 * timed iterations, so set-up and warm-up do not blur the picture. Profile timestamps and
 * `process.hrtime` read the same monotonic clock.
 */
class TimedProfiler {
  readonly #session: Session;
  readonly #windows: [number, number][] = [];
  #openedAt: number | undefined;

  private constructor(session: Session) {
    this.#session = session;
  }

  static async start(): Promise<TimedProfiler> {
    const session = new Session();
    session.connect();
    const post = (method: string, params?: object) =>
      new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 100 });
    await post('Profiler.start');
    return new TimedProfiler(session);
  }

  resume(): void {
    this.#openedAt = microseconds();
  }

  pause(): void {
    if (this.#openedAt !== undefined) this.#windows.push([this.#openedAt, microseconds()]);
    this.#openedAt = undefined;
  }

  async stop(): Promise<object> {
    const { profile } = await new Promise<{ profile: CpuProfile }>((resolve, reject) =>
      this.#session.post('Profiler.stop', (error, result) => (error ? reject(error) : resolve(result as { profile: CpuProfile }))),
    );
    this.#session.disconnect();
    const samples: number[] = [];
    const timeDeltas: number[] = [];
    let time = profile.startTime;
    for (let index = 0; index < profile.samples.length; index++) {
      const delta = profile.timeDeltas[index] ?? 0;
      time += delta;
      if (!this.#windows.some(([from, to]) => time >= from && time <= to)) continue;
      samples.push(profile.samples[index] ?? 0);
      timeDeltas.push(delta);
    }
    return { ...profile, samples, timeDeltas };
  }
}

interface CpuProfile {
  readonly startTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

function microseconds(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/**
 * This process's peak RSS. Linux: VmHWM, which starts afresh at exec (getrusage's maxrss
 * would carry the parent's peak over into the child). Elsewhere: getrusage.
 */
async function peakRssKiB(): Promise<number> {
  try {
    const status = await readFile('/proc/self/status', 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    if (match !== null) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

/** The command-line options of the file header. */
function parseOptions(argv: readonly string[]): TufClientBenchOptions {
  const options: { -readonly [K in keyof TufClientBenchOptions]: TufClientBenchOptions[K] } = {};
  const only: Figure[] = [];
  const figures = new Set<string>(['refresh-cold', 'refresh-warm', 'refresh-poll', 'download']);
  for (let index = 0; index < argv.length; index += 2) {
    const [name, value] = [argv[index], argv[index + 1]];
    if (name === '--verbose') {
      options.verbose = true;
      index -= 1;
      continue;
    }
    if (value === undefined) throw new Error(`${name ?? ''} needs a value`);
    const count = (): number => {
      const number = Number(value);
      if (!Number.isSafeInteger(number) || number < 1) throw new Error(`${name} needs a positive whole number`);
      return number;
    };
    switch (name) {
      case '--iterations':
        options.iterations = count();
        break;
      case '--download-iterations':
        options.downloadIterations = count();
        break;
      case '--rounds':
        options.rounds = count();
        break;
      case '--big-mib':
        options.bigMiB = count();
        break;
      case '--dir':
        options.dir = value;
        break;
      case '--cpu-prof':
        options.cpuProf = value;
        break;
      case '--only':
        if (!figures.has(value)) throw new Error(`--only takes one of ${[...figures].join(', ')}`);
        only.push(value as Figure);
        break;
      default:
        throw new Error(`unknown option ${name ?? ''}`);
    }
  }
  if (only.length > 0) options.only = only;
  return options;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const index = process.argv.indexOf('--child');
  if (index !== -1) {
    const [client, figure, iterations, metadataUrl, targetsUrl, rootFile, workDir, cpuProf] = process.argv.slice(index + 1);
    if (workDir === undefined || rootFile === undefined || targetsUrl === undefined || metadataUrl === undefined) throw new Error('bad child arguments');
    const report = await child(client as Client, figure as Figure, Number(iterations), { childScript: process.argv[1], metadataUrl, targetsUrl, rootFile, workDir, cpuProf });
    process.stdout.write(JSON.stringify(report));
  } else {
    printTable(await run(parseOptions(process.argv.slice(2))));
  }
}
