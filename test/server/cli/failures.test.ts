// Failures of the executable: exit codes and the printed `error STW_...` code. The stage is
// set in-process (the same CLI code, without a process start each); the failing step runs as
// a child process.
import t, { type Test } from 'tap';
import { copyFileSync, writeFileSync } from 'node:fs';
import { makeWorkDir, printedCode, startServer, steward, stewardInProcess, tokenIn, type StewardRun } from './cli-harness.js';

t.setTimeout(240_000); // each child process loads the TypeScript loader afresh

function ok(t: Test, run: StewardRun, what: string): void {
  t.equal(run.code, 0, `${what}: ${run.stderr}`);
}

t.test('a usage error exits 2 and prints STW_CLI_USAGE', async (t) => {
  const run = await steward(['repo', 'root', 'create', '--root-key', 'r.pub.json', '--out', 'root.json', '--no-such-option']);
  t.equal(run.code, 2);
  t.equal(printedCode(run), 'STW_CLI_USAGE');
  t.equal(run.stdout, '', 'nothing on stdout');
});

t.test('against one repository', async (t) => {
  const work = makeWorkDir(t);
  const init = await stewardInProcess(['init', '--data-dir', work.dataDir]);
  ok(t, init, 'init');
  const server = await startServer(t, work.dataDir);
  const operator = { STEWARD_URL: server.url, STEWARD_TOKEN: tokenIn(init.stdout) };
  for (const name of ['root-1', 'root-2', 'targets', 'acme']) ok(t, await stewardInProcess(['keys', 'generate', '--out', work.path(`${name}.pem`)]), name);
  const online = await stewardInProcess(['keys', 'online', '--data-dir', work.dataDir]);
  writeFileSync(work.path('online.json'), online.stdout);
  ok(
    t,
    await stewardInProcess([
      'repo', 'root', 'create', '--root-key', work.path('root-1.pem.pub.json'), '--root-key', work.path('root-2.pem.pub.json'), '--root-threshold', '2',
      '--targets-key', work.path('targets.pem.pub.json'), '--snapshot-key', work.path('online.json'), '--timestamp-key', work.path('online.json'), '--out', work.path('root.json'),
    ]),
    'root create',
  );
  ok(t, await stewardInProcess(['repo', 'sign', work.path('root.json'), '--key', work.path('root-1.pem')]), 'first signature');
  copyFileSync(work.path('root.json'), work.path('root-one-signature.json'));

  await t.test('upload-root of a root signed by one of its two root keys exits 1 with STW_REPO_SIGNATURE_INVALID', async (t) => {
    const run = await steward(['repo', 'upload-root', work.path('root-one-signature.json')], { env: operator });
    t.equal(run.code, 1);
    t.equal(printedCode(run), 'STW_REPO_SIGNATURE_INVALID');
    t.equal((await fetch(`${server.url}/v1/repository/metadata/root.json`)).status, 404, 'the server still has no root');
  });

  ok(t, await stewardInProcess(['repo', 'sign', work.path('root.json'), '--key', work.path('root-2.pem')]), 'second signature');
  ok(t, await stewardInProcess(['repo', 'upload-root', work.path('root.json')], operator), 'upload-root');
  await t.test('vendor add with a key that is not a top-level targets key changes nothing on the server', async (t) => {
    const run = await stewardInProcess(['vendor', 'add', 'globex', '--name', 'Globex', '--vendor-key', work.path('acme.pem.pub.json'), '--targets-key', work.path('root-1.pem')], operator);
    t.equal(run.code, 1);
    t.equal(printedCode(run), 'STW_CLI_KEY_NOT_AUTHORISED');
    const vendors = (await (await fetch(`${server.url}/v1/operator/vendors`, { headers: { authorization: `Bearer ${operator.STEWARD_TOKEN}` } })).json()) as { vendors: unknown[] };
    t.same(vendors.vendors, [], 'globex was not registered');
  });

  const added = await stewardInProcess(['vendor', 'add', 'acme', '--name', 'Acme', '--vendor-key', work.path('acme.pem.pub.json'), '--targets-key', work.path('targets.pem'), '--issue-token'], operator);
  ok(t, added, 'vendor add');
  const vendor = { STEWARD_URL: server.url, STEWARD_TOKEN: tokenIn(added.stdout.slice(added.stdout.indexOf('vendor token'))) };
  writeFileSync(work.path('fw.bin'), 'firmware 1.0.0');
  const publishArgs = (version: string): string[] => ['release', 'publish', work.path('fw.bin'), '--vendor', 'acme', '--version', version, '--hardware', 't100', '--component', 'firmware'];

  await t.test('release publish signed with a key that is not the vendor\'s exits 1 and publishes nothing', async (t) => {
    const run = await steward([...publishArgs('1.0.0'), '--key', work.path('targets.pem')], { env: vendor });
    t.equal(run.code, 1);
    t.equal(printedCode(run), 'STW_CLI_KEY_NOT_AUTHORISED');
    t.equal((await fetch(`${server.url}/v1/repository/metadata/acme.json`)).status, 404, 'no acme role was published');
    const list = await stewardInProcess(['release', 'list', '--vendor', 'acme'], vendor);
    t.match(list.stdout, /no releases published for acme/);
  });

  await t.test('a second file under a published path is refused before upload with STW_CLI_PATH_TAKEN', async (t) => {
    ok(t, await stewardInProcess([...publishArgs('1.0.0'), '--key', work.path('acme.pem')], vendor), 'first publish');
    writeFileSync(work.path('fw.bin'), 'firmware 1.0.1, other bytes');
    const run = await stewardInProcess([...publishArgs('1.0.1'), '--key', work.path('acme.pem')], vendor);
    t.equal(run.code, 1);
    t.equal(printedCode(run), 'STW_CLI_PATH_TAKEN');
  });

  await t.test('publishing the same file with the same facts again changes nothing; other facts are refused', async (t) => {
    writeFileSync(work.path('fw.bin'), 'firmware 1.0.0');
    const again = await stewardInProcess([...publishArgs('1.0.0'), '--key', work.path('acme.pem')], vendor);
    t.equal(again.code, 0, again.stderr);
    t.match(again.stdout, /published already/);
    const role = (await (await fetch(`${server.url}/v1/repository/metadata/acme.json`)).json()) as { signed: { version: number } };
    t.equal(role.signed.version, 1, 'no new version of the acme role');
    const otherFacts = await stewardInProcess([...publishArgs('1.0.0'), '--hardware', 't200', '--key', work.path('acme.pem')], vendor);
    t.equal(printedCode(otherFacts), 'STW_CLI_PATH_TAKEN');
  });

  await t.test('a release with a version that is not semver is a usage error', async (t) => {
    const run = await stewardInProcess([...publishArgs('v1'), '--key', work.path('acme.pem')], vendor);
    t.equal(run.code, 2);
    t.equal(printedCode(run), 'STW_CLI_USAGE');
  });

  await t.test('a vendor token may not issue tokens: the server\'s STW_AUTH_FORBIDDEN is printed', async (t) => {
    const run = await stewardInProcess(['token', 'create', '--scope', 'operator', '--label', 'escalation'], vendor);
    t.equal(run.code, 1);
    t.equal(printedCode(run), 'STW_AUTH_FORBIDDEN');
  });

  await t.test('a second vendor add with the same id re-delegates instead of failing', async (t) => {
    const again = await stewardInProcess(['vendor', 'add', 'acme', '--name', 'Acme', '--vendor-key', work.path('acme.pem.pub.json'), '--targets-key', work.path('targets.pem')], operator);
    t.equal(again.code, 0, again.stderr);
    t.match(again.stdout, /registered already/);
    t.match(again.stdout, /top-level targets version 2 published/);
  });
});
