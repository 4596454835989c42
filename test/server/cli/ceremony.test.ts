// The whole ceremony through the `steward` executable against a real server: init, offline
// keys, a 2-of-2 root signed by two holders, a vendor delegation, a release published with
// progress, the release list; then an independent TUF client (tuf-js) refreshes from the
// server and downloads the published file.
import t from 'tap';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Updater } from 'tuf-js';
import { PublicKey } from '../../../manifests/index.js';
import { makeWorkDir, printedCode, startServer, steward, tokenIn } from './cli-harness.js';

// Every run of the executable loads the TypeScript loader afresh (seconds each, more on a busy machine).
t.setTimeout(300_000);

/** Deterministic bytes that are not all alike (a firmware stand-in). */
function firmwareBytes(length: number): Buffer {
  const chunks: Buffer[] = [];
  for (let block = createHash('sha512').update('seed').digest(); chunks.length * 64 < length; block = createHash('sha512').update(block).digest()) chunks.push(block);
  return Buffer.concat(chunks).subarray(0, length);
}

t.test('the offline ceremony and a vendor release end in a repository tuf-js trusts', async (t) => {
  const work = makeWorkDir(t);
  const init = await steward(['init', '--data-dir', work.dataDir]);
  t.equal(init.code, 0, 'init succeeds');
  const operatorToken = tokenIn(init.stdout);
  const server = await startServer(t, work.dataDir);
  const operator = { STEWARD_URL: server.url, STEWARD_TOKEN: operatorToken };

  // Key holders generate their keys (one RSA, the rest Ed25519); the server's online keys are printed.
  const [root1, root2, targets, vendor, online] = await Promise.all([
    steward(['keys', 'generate', '--out', work.path('root-1.pem')]),
    steward(['keys', 'generate', '--type', 'rsa', '--out', work.path('root-2.pem')]),
    steward(['keys', 'generate', '--out', work.path('targets.pem')]),
    steward(['keys', 'generate', '--out', work.path('acme.pem')]),
    steward(['keys', 'online', '--data-dir', work.dataDir]),
  ]);
  for (const [name, run] of [['root-1', root1], ['root-2', root2], ['targets', targets], ['acme', vendor]] as const) {
    t.equal(run.code, 0, `${name} key generated`);
    const publicKey = PublicKey.fromJSON(JSON.parse(readFileSync(work.path(`${name}.pem.pub.json`), 'utf8')));
    t.equal(run.stdout.trim(), publicKey.keyId(), `${name}: the printed key id is the public key's`);
    t.equal(statSync(work.path(`${name}.pem`)).mode & 0o777, 0o600, `${name}: private key is 0600`);
  }
  t.equal(online.code, 0);
  writeFileSync(work.path('online-keys.json'), online.stdout);

  const create = await steward([
    'repo', 'root', 'create',
    '--root-key', work.path('root-1.pem.pub.json'), '--root-key', work.path('root-2.pem.pub.json'), '--root-threshold', '2',
    '--targets-key', work.path('targets.pem.pub.json'),
    '--snapshot-key', work.path('online-keys.json'), '--timestamp-key', work.path('online-keys.json'),
    '--out', work.path('root.json'),
  ]);
  t.equal(create.code, 0, 'root created');
  t.equal((await steward(['repo', 'sign', work.path('root.json'), '--key', work.path('root-1.pem')])).code, 0, 'first holder signs');
  t.equal((await steward(['--key', work.path('root-2.pem'), 'repo', 'sign', work.path('root.json')])).code, 0, 'second holder signs (options first)');
  const root = JSON.parse(readFileSync(work.path('root.json'), 'utf8')) as { signatures: unknown[]; signed: { version: number } };
  t.equal(root.signatures.length, 2);

  const upload = await steward(['repo', 'upload-root', work.path('root.json')], { env: operator });
  t.equal(upload.code, 0, `root uploaded ${upload.stderr}`);

  const vendorAdd = await steward(
    ['vendor', 'add', 'acme', '--name', 'Acme Terminals', '--vendor-key', work.path('acme.pem.pub.json'), '--targets-key', work.path('targets.pem'), '--issue-token'],
    { env: operator },
  );
  t.equal(vendorAdd.code, 0, `vendor added ${vendorAdd.stderr}`);
  const vendorEnv = { STEWARD_URL: server.url, STEWARD_TOKEN: tokenIn(vendorAdd.stdout.slice(vendorAdd.stdout.indexOf('vendor token'))) };

  const firmware = firmwareBytes(300_000);
  writeFileSync(work.path('t100-fw-1.2.0.bin'), firmware);
  const publish = await steward(
    [
      '--vendor', 'acme', 'release', 'publish', work.path('t100-fw-1.2.0.bin'),
      '--version', '1.2.0', '--hardware', 't100', '--hardware', 't200', '--component', 'firmware', '--min-from', '1.0.0', '--notes', 'fixes EMV kernel timeouts',
      '--key', work.path('acme.pem'),
    ],
    { env: vendorEnv },
  );
  t.equal(publish.code, 0, `release published ${publish.stderr}`);
  t.match(publish.stdout, /acme\/t100-fw-1\.2\.0\.bin version 1\.2\.0/);
  t.match(publish.stdout, /snapshot v\d+, timestamp v\d+/);
  t.match(publish.stderr, /uploading t100-fw-1\.2\.0\.bin: 293\.0 KiB/, 'a final progress line, stderr not being a terminal');

  const list = await steward(['release', 'list', '--vendor', 'acme'], { env: vendorEnv });
  t.equal(list.code, 0);
  t.match(list.stdout, /acme\/t100-fw-1\.2\.0\.bin\s+1\.2\.0\s+firmware\s+t100,t200\s+1\.0\.0/);

  // An independent TUF client, trusting only the root the holders signed.
  const client = work.path('client');
  mkdirSync(join(client, 'targets'), { recursive: true });
  writeFileSync(join(client, 'root.json'), readFileSync(work.path('root.json')));
  const updater = new Updater({ metadataBaseUrl: `${server.url}/v1/repository/metadata`, targetBaseUrl: `${server.url}/v1/repository/targets`, metadataDir: client, targetDir: join(client, 'targets') });
  await updater.refresh();
  const info = await updater.getTargetInfo('acme/t100-fw-1.2.0.bin');
  t.ok(info, 'tuf-js finds the release through the acme delegation');
  t.same(info?.custom, { version: '1.2.0', hardware_ids: ['t100', 't200'], component: 'firmware', min_from_version: '1.0.0', notes: 'fixes EMV kernel timeouts' });
  const downloaded = await updater.downloadTarget(info!, join(client, 'targets', 'fw.bin'));
  t.same(readFileSync(downloaded), firmware, 'tuf-js downloads exactly the published bytes');
  t.equal(printedCode(publish), undefined);
});
