// Upload of a 1 GiB artifact through the server (HTTP, streamed, hashed with SHA-256 and
// SHA-512, fsync'd into the blob store) as a ratio to a plain file copy + fsync of the same
// bytes in the same run (goal >= 0.7), with the server's RSS growth during the upload
// (goal < 64 MiB).
//
// Two clients stream the file, each measured against a copy made just before it: curl (the goal
// row: a standard client that costs the 2-core test machine least, so the figure is the server's)
// and Node's fetch with a streamed body (context: the heavier client competes for the same cores).
//   npx tsx bench/publish.ts [--mib 1024] [--cpu-prof <dir>]   (--cpu-prof: V8 profiles of the server, workers included)
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { migrateToLatest, openDatabase } from '../server/db/index.js';
import { issueToken } from '../server/index.js';
import { atLeast, below, benchRow, printTable, type BenchRow } from './bench-row.js';

const MIB = 1024 * 1024;

interface Upload {
  readonly client: 'curl' | 'fetch';
  readonly url: string;
  readonly token: string;
  readonly file: string;
  readonly scratch: string;
}

export async function run(options: { mib?: number; cpuProfileDir?: string } = {}): Promise<BenchRow[]> {
  const mib = options.mib ?? numberArgument('--mib') ?? 1024;
  const cpuProfileDir = options.cpuProfileDir ?? stringArgument('--cpu-prof');
  const scratch = mkdtempSync(join(tmpdir(), 'steward-bench-publish-'));
  try {
    const source = join(scratch, 'artifact.bin');
    await writeArtifact(source, mib);

    const databaseUrl = `sqlite:${join(scratch, 'steward.db')}`;
    const database = openDatabase({ url: databaseUrl });
    await migrateToLatest(database.db);
    await database.db.insertInto('vendors').values({ id: 'acme', name: 'Acme', created_at: new Date().toISOString() }).execute();
    const { token } = await issueToken(database.db, { scope: { kind: 'vendor', vendorId: 'acme' }, label: 'bench' });
    await database.close();

    const blobDir = join(scratch, 'blobs');
    const server = await startServer(
      { DATABASE_URL: databaseUrl, STEWARD_BLOB_DIR: blobDir, STEWARD_KEYS_DIR: join(scratch, 'keys'), STEWARD_MAX_ARTIFACT_BYTES: String(8 * 1024 * MIB) },
      cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(cpuProfileDir)}`],
    );
    const rows: BenchRow[] = [];
    let growthMib = 0;
    let idleMib = 0;
    try {
      for (const client of ['curl', 'fetch'] as const) {
        const copySeconds = await timed(() => copyWithFsync(source, join(scratch, 'copy.bin')));
        rmSync(join(scratch, 'copy.bin'));
        rmSync(blobDir, { recursive: true, force: true }); // every upload writes a new blob
        const idle = rssOf(server.pid);
        let peak = idle;
        const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid))), 25);
        const uploadSeconds = await timed(() => upload({ client, url: server.url, token, file: source, scratch }));
        clearInterval(sampler);
        peak = Math.max(peak, rssOf(server.pid));
        growthMib = Math.max(growthMib, (peak - idle) / MIB);
        idleMib = idle / MIB;
        rows.push(
          benchRow({
            bench: 'publish',
            figure: `upload ${mib} MiB through the server (${client})`,
            value: mib / uploadSeconds,
            baseline: mib / copySeconds,
            baselineName: 'file copy + fsync',
            unit: 'MiB/s',
            ...(client === 'curl' ? { goal: atLeast(0.7) } : {}),
          }),
        );
      }
    } finally {
      await server.stop();
    }
    rows.push(benchRow({ bench: 'publish', figure: 'server RSS growth during an upload (largest)', value: growthMib, baseline: idleMib, baselineName: 'idle RSS', unit: 'MiB', goal: below(64) }));
    // Context: the ratios above only mean something on a machine that is otherwise quiet.
    rows.push(benchRow({ bench: 'publish', figure: 'machine load at the end (1-minute load average)', value: loadavg()[0] ?? 0, baseline: availableParallelism(), baselineName: 'cores', unit: 'tasks' }));
    return rows;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One PUT of the file, streamed by the client; throws unless the server answers 201. */
async function upload({ client, url, token, file, scratch }: Upload): Promise<void> {
  const target = `${url}/v1/vendors/acme/artifacts`;
  if (client === 'fetch') {
    const response = await fetch(target, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(statSync(file).size) },
      body: Readable.toWeb(createReadStream(file, { highWaterMark: MIB })) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
    return;
  }
  // The token goes in a header file, not on a command line other users can read.
  const headers = join(scratch, 'curl-headers');
  writeFileSync(headers, `authorization: Bearer ${token}\ncontent-type: application/octet-stream\n`, { mode: 0o600 });
  const curl = spawn('curl', ['--silent', '--show-error', '--output', '/dev/null', '--write-out', '%{http_code}', '--header', `@${headers}`, '--upload-file', file, target], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let status = '';
  curl.stdout.on('data', (chunk: Buffer) => (status += chunk.toString()));
  const code = await new Promise<number | null>((done, fail) => curl.once('error', fail).once('close', done));
  if (code !== 0 || status !== '201') throw new Error(`curl upload failed: exit ${code}, HTTP ${status}`);
}

async function writeArtifact(path: string, mib: number): Promise<void> {
  const blocks = Array.from({ length: 8 }, () => randomBytes(MIB));
  await pipeline(
    Readable.from(
      (function* () {
        for (let i = 0; i < mib; i++) yield blocks[i % blocks.length] as Buffer;
      })(),
    ),
    createWriteStream(path),
  );
}

/** The baseline: stream the bytes into a new file and fsync it, as the blob store does. */
async function copyWithFsync(from: string, to: string): Promise<void> {
  await pipeline(createReadStream(from, { highWaterMark: MIB }), createWriteStream(to));
  const handle = await open(to, 'r');
  await handle.sync();
  await handle.close();
}

async function timed(body: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await body();
  return (performance.now() - start) / 1000;
}

function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

function stringArgument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

function numberArgument(name: string): number | undefined {
  const value = stringArgument(name);
  return value === undefined ? undefined : Number(value);
}

async function startServer(env: Record<string, string>, nodeFlags: string[]): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...process.execArgv, ...nodeFlags, 'test/helpers/processes/serve.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  // Wait for the exit: a CPU profile is written as the process ends.
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await exited;
  };
  return { url, pid: child.pid ?? 0, stop };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printTable(await run());
}
