/**
 * Install benchmark (issue "Device SDK, part 2", Must show), run with `npx tsx bench/install.ts`.
 *
 * 1. Verify-while-streaming throughput on a 256 MiB image, as a ratio to `sha256sum` on the
 *    same file in the same run (goal >= 0.9), measured on both streaming paths:
 *    - HTTP: a loopback server (a separate process, 127.0.0.1) -> HttpFetcher -> ArtifactDownloader
 *      (SHA-256 while writing `.partial`, fsync, rename);
 *    - disk: the downloaded file -> slot writer (read, SHA-256 while writing the slot, fsync).
 *    Each figure is the best of two runs, like the baseline.
 * 2. Peak RSS growth during a 1 GiB install (goal < 32 MiB above idle): the whole update
 *    (download over HTTP, re-verify, slot write, trial boot with slot verification, commit),
 *    RSS sampled every 5 ms with process.memoryUsage().rss.
 *
 * Files go to os.tmpdir() and are removed; the server process ends with the benchmark.
 * `run()` returns the rows for bench/run-all.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArtifactDownloader } from '../device-sdk/download/index.js';
import { HttpFetcher } from '../device-sdk/fetch/http-fetcher.js';
import { DurableFs } from '../device-sdk/durable/durable-fs.js';
import { FileSlotInstaller, fileChunks, sha256OfFile, writeSlotImage } from '../device-sdk/install/index.js';
import { UpdateMachine } from '../device-sdk/update/index.js';
import { atLeast, below, benchRow, printTable, type BenchRow } from './bench-row.js';

const MiB = 1024 * 1024;

export async function run(options: { imageMiB?: number; installMiB?: number } = {}): Promise<BenchRow[]> {
  const imageMiB = options.imageMiB ?? 256;
  const installMiB = options.installMiB ?? 1024;
  const dir = await mkdtemp(join(tmpdir(), 'steward-bench-install-'));
  try {
    const image = join(dir, 'image.bin');
    await writeRandomFile(image, imageMiB);
    const baseline = await best(2, () => timed(() => sha256sum(image)));
    const baselineMBs = (imageMiB * MiB) / baseline / 1e6;
    const { sha256 } = await sha256OfFile(image);
    const expected = { length: imageMiB * MiB, hashes: { sha256 } };

    const server = await startServer(dir);
    try {
      const downloaded = join(dir, 'downloaded.bin');
      const downloader = new ArtifactDownloader(new HttpFetcher());
      const http = await best(2, async () => {
        await rm(downloaded, { force: true });
        return timed(() => downloader.download({ url: `${server.url}/image.bin`, expected, destination: downloaded }));
      });
      const slot = join(dir, 'slot.img');
      const tooLong = () => new Error('too long');
      const disk = await best(2, () => timed(() => writeSlotImage(new DurableFs(), slot, fileChunks(downloaded), expected.length, tooLong)));
      await rm(slot, { force: true });
      await rm(downloaded, { force: true });
      await rm(image, { force: true });

      const install = join(dir, 'install.bin');
      await writeRandomFile(install, installMiB);
      const memory = await peakRssDuringInstall(dir, `${server.url}/install.bin`, install, installMiB);
      return [
        throughputRow(`verify-while-streaming ${imageMiB} MiB, HTTP 127.0.0.1 -> downloader`, imageMiB, http, baselineMBs),
        throughputRow(`verify-while-streaming ${imageMiB} MiB, disk -> slot writer`, imageMiB, disk, baselineMBs),
        benchRow({
          bench: 'install',
          figure: `peak RSS growth, ${installMiB} MiB install (download, verify, slot write, boot check)`,
          value: memory.peakGrowthMiB,
          baseline: memory.idleMiB,
          baselineName: 'idle RSS',
          unit: 'MiB',
          goal: below(32),
        }),
      ];
    } finally {
      server.process.kill();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function throughputRow(figure: string, mib: number, seconds: number, baselineMBs: number): BenchRow {
  return benchRow({ bench: 'install', figure, value: (mib * MiB) / seconds / 1e6, baseline: baselineMBs, baselineName: 'sha256sum', unit: 'MB/s', goal: atLeast(0.9) });
}

async function peakRssDuringInstall(dir: string, url: string, path: string, mib: number): Promise<{ idleMiB: number; peakGrowthMiB: number }> {
  const { sha256 } = await sha256OfFile(path);
  const installer = await FileSlotInstaller.provision(join(dir, 'slots'), Buffer.from('factory image'), '1.0.0');
  const host = { canInstallNow: () => true, healthCheck: async () => true, reboot: async () => {} };
  const machine = new UpdateMachine({ installer, downloader: new ArtifactDownloader(new HttpFetcher()), host, config: { stateDirectory: join(dir, 'update') } });
  const update = { targetName: 'bench/install.bin', url, length: mib * MiB, hashes: { sha256 }, version: '2.0.0', component: 'firmware' };
  (globalThis as { gc?: () => void }).gc?.();
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const first = await machine.begin(update);
    if (first.stoppedBecause !== 'reboot') throw new Error(`install stopped: ${first.stoppedBecause}`);
    await installer.boot();
    const second = await machine.resume();
    if (second.outcome?.type !== 'committed') throw new Error(`install did not commit: ${JSON.stringify(second.outcome)}`);
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { idleMiB: idle / MiB, peakGrowthMiB: (peak - idle) / MiB };
}

/** A loopback static file server in its own process (so serving does not load the measured one); it exits when our stdin closes. */
async function startServer(root: string): Promise<{ url: string; process: ChildProcess }> {
  const code = `
    import { createServer } from 'node:http';
    import { createReadStream, statSync } from 'node:fs';
    import { join } from 'node:path';
    const server = createServer((req, res) => {
      const file = join(process.env.BENCH_ROOT, req.url.slice(1));
      res.writeHead(200, { 'content-length': statSync(file).size, 'content-type': 'application/octet-stream' });
      createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
    process.stdin.on('end', () => process.exit(0)).resume();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, BENCH_ROOT: root, NODE_OPTIONS: '' }, stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (data: Buffer) => resolve(data.toString().trim()));
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

function sha256sum(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sha256sum', [path], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`sha256sum exited ${code}`))));
  });
}

async function writeRandomFile(path: string, mib: number): Promise<void> {
  const handle = await open(path, 'w');
  try {
    const block = randomFillSync(Buffer.allocUnsafe(MiB));
    for (let i = 0; i < mib; i++) {
      block.writeUInt32LE(i, 0);
      await handle.write(block);
    }
  } finally {
    await handle.close();
  }
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function best(times: number, measure: () => Promise<number>): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) fastest = Math.min(fastest, await measure());
  return fastest;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable(await run());
}
