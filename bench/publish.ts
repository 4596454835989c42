// Upload of a 1 GiB artifact through the server (HTTP, streamed, hashed, fsync'd into the
// blob store) as a ratio to a plain file copy of the same bytes in the same run (goal >= 0.7),
// with the server's RSS growth during the upload (goal < 64 MiB).
//   npx tsx bench/publish.ts [--mib 1024]
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { migrateToLatest, openDatabase } from '../server/db/index.js';
import { issueToken } from '../server/index.js';
import { atLeast, below, benchRow, printTable, type BenchRow } from './bench-row.js';

const MIB = 1024 * 1024;

export async function run(options: { mib?: number } = {}): Promise<BenchRow[]> {
  const mib = options.mib ?? Number(process.argv[process.argv.indexOf('--mib') + 1] || 1024);
  const scratch = mkdtempSync(join(tmpdir(), 'steward-bench-publish-'));
  try {
    const source = join(scratch, 'artifact.bin');
    await writeArtifact(source, mib);
    const copySeconds = await timed(() => copyWithFsync(source, join(scratch, 'copy.bin')));
    rmSync(join(scratch, 'copy.bin'));

    const databaseUrl = `sqlite:${join(scratch, 'steward.db')}`;
    const database = openDatabase({ url: databaseUrl });
    await migrateToLatest(database.db);
    await database.db.insertInto('vendors').values({ id: 'acme', name: 'Acme', created_at: new Date().toISOString() }).execute();
    const { token } = await issueToken(database.db, { scope: { kind: 'vendor', vendorId: 'acme' }, label: 'bench' });
    await database.close();

    const server = await startServer({ DATABASE_URL: databaseUrl, STEWARD_BLOB_DIR: join(scratch, 'blobs'), STEWARD_KEYS_DIR: join(scratch, 'keys'), STEWARD_MAX_ARTIFACT_BYTES: String(8 * 1024 * MIB) });
    try {
      const idle = rssOf(server.pid);
      let peak = idle;
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid))), 25);
      const uploadSeconds = await timed(async () => {
        const response = await fetch(`${server.url}/v1/vendors/acme/artifacts`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': String(statSync(source).size) },
          body: Readable.toWeb(createReadStream(source, { highWaterMark: MIB })) as ReadableStream,
          duplex: 'half',
        } as RequestInit);
        if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
      });
      clearInterval(sampler);
      const growthMib = (peak - idle) / MIB;
      const copyRate = mib / copySeconds;
      const uploadRate = mib / uploadSeconds;
      return [
        benchRow({ bench: 'publish', figure: `upload ${mib} MiB through the server`, value: uploadRate, baseline: copyRate, baselineName: 'file copy + fsync', unit: 'MiB/s', goal: atLeast(0.7) }),
        benchRow({ bench: 'publish', figure: 'server RSS growth during the upload', value: growthMib, baseline: idle / MIB, baselineName: 'idle RSS', unit: 'MiB', goal: below(64) }),
      ];
    } finally {
      server.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function writeArtifact(path: string, mib: number): Promise<void> {
  const blocks = Array.from({ length: 8 }, () => randomBytes(MIB));
  await pipeline(
    Readable.from((function* () {
      for (let i = 0; i < mib; i++) yield blocks[i % blocks.length] as Buffer;
    })()),
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

async function startServer(env: Record<string, string>): Promise<{ url: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, [...process.execArgv, 'test/helpers/processes/serve.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, pid: child.pid ?? 0, stop: () => child.kill('SIGTERM') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printTable(await run());
}
