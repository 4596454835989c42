/**
 * `steward-device` as a user runs it: a separate process against a repository served on
 * loopback, checked by exit code, output and the files it leaves.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TufRepository } from '../../helpers/tuf-repository.js';
import { typescriptNodeArgs } from '../store/fixtures/typescript-child.js';

const main = fileURLToPath(new URL('../../../device-sdk/cli/main.ts', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function stewardDevice(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...typescriptNodeArgs(), main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const firmware = Buffer.from('acme t100 firmware 2.0 '.repeat(300));

t.test('init, refresh and download, then a failing refresh, exactly as documented', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'acme');
  repo.addTarget('acme/fw-2.0.bin', firmware, { role: 'acme' });
  repo.addTarget('readme.txt', 'hello');
  await repo.publish();
  const server = await repo.serve();
  t.teardown(() => server.close());
  const dir = t.testdir({ 'root.json': '' });
  const rootFile = join(dir, 'root.json');
  await writeFile(rootFile, repo.metadata('root', 1));
  const metadataDir = join(dir, 'metadata');
  const targetDir = join(dir, 'targets');

  const init = await stewardDevice('--metadata-dir', metadataDir, 'init', rootFile);
  t.equal(init.code, 0, init.stderr);
  t.same(await readdir(metadataDir), ['root.json']);
  t.same(server.requests, [], 'init makes no request');

  const refresh = await stewardDevice('--metadata-dir', metadataDir, '--metadata-url', server.metadataUrl, 'refresh');
  t.equal(refresh.code, 0, refresh.stderr);
  t.match(refresh.stdout, /^root 1, timestamp 2, snapshot 2, targets 2$/m);
  t.same((await readdir(metadataDir)).sort(), ['root.json', 'snapshot.json', 'targets.json', 'timestamp.json'], 'only trusted metadata');

  const downloadArgs = [
    '--metadata-dir', metadataDir,
    '--metadata-url', server.metadataUrl,
    '--target-name', 'acme/fw-2.0.bin',
    '--target-name', 'readme.txt',
    '--target-base-url', server.targetsUrl,
    '--target-dir', targetDir,
    'download',
  ];
  const download = await stewardDevice(...downloadArgs);
  t.equal(download.code, 0, download.stderr);
  t.same(await readFile(join(targetDir, 'acme%2Ffw-2.0.bin')), firmware);
  t.same(await readFile(join(targetDir, 'readme.txt'), 'utf8'), 'hello');
  t.same((await readdir(metadataDir)).sort(), ['acme.json', 'root.json', 'snapshot.json', 'targets.json', 'timestamp.json']);

  const again = await stewardDevice(...downloadArgs);
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, /^present acme\/fw-2\.0\.bin/m, 'a target already in place is not downloaded again');

  server.override('metadata/timestamp.json', await repo.forge('timestamp', (signed) => void (signed.version = 5), []));
  const refused = await stewardDevice('--metadata-dir', metadataDir, '--metadata-url', server.metadataUrl, 'refresh');
  t.equal(refused.code, 1);
  t.match(refused.stderr, /^error STW_DEVICE_SIGNATURE_INVALID: /);
  server.clearOverrides();

  const missing = await stewardDevice('--metadata-dir', metadataDir, '--metadata-url', server.metadataUrl, '--target-name', 'acme/none.bin', '--target-base-url', server.targetsUrl, '--target-dir', targetDir, 'download');
  t.equal(missing.code, 1);
  t.match(missing.stderr, /^error STW_DEVICE_TARGET_NOT_FOUND: /);
});

t.test('refresh before init fails with the not-initialised code', async (t) => {
  const run = await stewardDevice('--metadata-dir', t.testdir({}), '--metadata-url', 'http://127.0.0.1:9/metadata', 'refresh');
  t.equal(run.code, 1);
  t.match(run.stderr, /^error STW_DEVICE_NOT_INITIALISED: /);
});

t.test('a usage mistake exits 1 with the usage code and the usage text', async (t) => {
  const run = await stewardDevice('--metadata-dir', t.testdir({}), '--no-such-option', 'refresh');
  t.equal(run.code, 1);
  t.match(run.stderr, /^error STW_DEVICE_USAGE: /);
  t.match(run.stderr, /usage:/);
});
