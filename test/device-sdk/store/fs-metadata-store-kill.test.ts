/**
 * Power cuts during a refresh: a child process runs a refresh (with a root rotation, a
 * timestamp key rotation, so the trusted timestamp and snapshot are dropped (TUF 5.3.11) and
 * then replaced, and a new delegated role version) over an `FsMetadataStore` and is
 * SIGKILLed before each disk step in turn, for every step. Each operation commits its changes
 * together (all temporary files fsynced, renames in workflow order, one directory fsync).
 * After each crash every file in the store is the old or the new trusted metadata, never
 * torn, and the next refresh from that state ends at the new metadata.
 * commit-mix-recovery.test.ts covers the orders a file system might put the renames in.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { cp, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FsMetadataStore } from '../../../device-sdk/store/index.js';
import { Updater } from '../../../device-sdk/tuf/index.js';
import { TufRepository } from '../../helpers/tuf-repository.js';
import { typescriptNodeArgs } from './fixtures/typescript-child.js';

const child = fileURLToPath(new URL('./fixtures/refresh-child.ts', import.meta.url));
const ROLES = ['root', 'timestamp', 'snapshot', 'targets', 'acme'] as const;
const TARGET = 'acme/fw-2.bin';

interface ChildResult {
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, [...typescriptNodeArgs(), child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    process_.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    process_.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    process_.on('error', reject);
    process_.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Run `work` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

async function snapshotOf(directory: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of await readdir(directory)) if (name.endsWith('.json')) files.set(name, await readFile(join(directory, name)));
  return files;
}

t.test('a refresh killed before any disk step leaves every file old or new, and the next refresh completes', async (t) => {
  t.setTimeout(600_000);
  const repo = await TufRepository.create();
  repo.delegate('targets', 'acme');
  repo.addTarget('acme/fw-1.bin', 'one', { role: 'acme' });
  await repo.publish();
  const server = await repo.serve();
  t.teardown(() => server.close());
  const base = t.testdir({ old: {}, runs: {} });
  const oldDir = join(base, 'old');

  // The old trusted state, written in this process.
  const oldStore = new FsMetadataStore(oldDir);
  await oldStore.write('root', repo.metadata('root', 1));
  await new Updater({ metadataUrl: server.metadataUrl, store: oldStore }).getTargetInfo('acme/fw-1.bin');
  const old = await snapshotOf(oldDir);
  t.same([...old.keys()].sort(), ROLES.map((role) => `${role}.json`).sort());

  // The repository moves on.
  repo.rotateKeys('root');
  repo.rotateKeys('timestamp');
  repo.addTarget(TARGET, 'two', { role: 'acme' });
  await repo.publish();
  const fresh = new Map(ROLES.map((role) => [`${role}.json`, Buffer.from(repo.metadata(role))]));

  const countDir = join(base, 'runs', 'count');
  await cp(oldDir, countDir, { recursive: true });
  const counted = await runChild([countDir, server.metadataUrl, TARGET]);
  t.equal(counted.code, 0, counted.stderr);
  const { steps, found } = JSON.parse(counted.stdout) as { steps: string[]; found: boolean };
  t.ok(found);
  t.same(await snapshotOf(countDir), fresh, 'an uninterrupted run ends at the new metadata');
  // The refresh commits root, timestamp and snapshot (targets is unchanged), the target
  // search then commits acme: per file open, write and fsync of a temporary file, then the
  // renames in workflow order, then one directory fsync per commit.
  const staging = (role: string) => ['open', 'write', 'fsync'].map((kind) => `${kind} .${role}.json.*.tmp`);
  const refreshStaging = ['root', 'timestamp', 'snapshot'].flatMap(staging);
  t.same([...steps.slice(0, 9)].sort(), [...refreshStaging].sort(), 'the refresh stages its three files first');
  t.same(steps.slice(9, 13), ['rename root.json', 'rename timestamp.json', 'rename snapshot.json', 'fsync-dir count'], 'then renames root first and fsyncs the directory once');
  t.same(steps.slice(13), [...staging('acme'), 'rename acme.json', 'fsync-dir count'], 'the search commits acme the same way');

  const outcomes = await pool(
    Array.from({ length: steps.length }, (_, index) => index + 1),
    2,
    async (killAt) => {
      const directory = join(base, 'runs', `kill-${killAt}`);
      await cp(oldDir, directory, { recursive: true });
      const result = await runChild([directory, server.metadataUrl, TARGET, String(killAt)]);
      return { killAt, directory, result };
    },
  );

  for (const { killAt, directory, result } of outcomes) {
    t.equal(result.signal, 'SIGKILL', `killed before step ${killAt}`);
    const files = await snapshotOf(directory);
    for (const role of ROLES) {
      const name = `${role}.json`;
      const bytes = files.get(name);
      // Dropped timestamp and snapshot are replaced in the same commit: never missing.
      if (bytes === undefined) {
        t.fail(`step ${killAt}: ${name} is missing`);
        continue;
      }
      const state = bytes.equals(old.get(name) ?? Buffer.alloc(0)) ? 'old' : bytes.equals(fresh.get(name) ?? Buffer.alloc(0)) ? 'new' : 'torn';
      t.not(state, 'torn', `step ${killAt}: ${name} is old or new`);
    }
    const store = new FsMetadataStore(directory);
    const updater = new Updater({ metadataUrl: server.metadataUrl, store });
    t.ok(await updater.getTargetInfo(TARGET), `step ${killAt}: the next refresh completes`);
    t.same(await snapshotOf(directory), fresh, `step ${killAt}: and ends at the new metadata`);
    t.same((await readdir(directory)).filter((name) => !name.endsWith('.json')), [], `step ${killAt}: no temporary file is left`);
  }
});
