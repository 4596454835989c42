// The commands key holders run offline: key generation, root creation, rotation, signing.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { Metadata, countSignatures, type Root } from '../../../manifests/index.js';
import { makeWorkDir, printedCode, stewardInProcess, type WorkDir } from './cli-harness.js';

async function keys(work: WorkDir, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const run = await stewardInProcess(['keys', 'generate', '--out', work.path(`${name}.pem`)]);
    if (run.code !== 0) throw new Error(run.stderr);
  }
}

function readRoot(path: string): Metadata<Root> {
  return Metadata.fromJSON('root', JSON.parse(readFileSync(path, 'utf8')));
}

const pub = (work: WorkDir, name: string): string => work.path(`${name}.pem.pub.json`);

t.test('keys generate never overwrites a key', async (t) => {
  const work = makeWorkDir(t);
  await keys(work, ['root']);
  const before = readFileSync(work.path('root.pem'), 'utf8');
  const again = await stewardInProcess(['keys', 'generate', '--out', work.path('root.pem')]);
  t.equal(again.code, 1);
  t.equal(printedCode(again), 'STW_CLI_FILE_EXISTS');
  t.equal(readFileSync(work.path('root.pem'), 'utf8'), before);

  writeFileSync(work.path('other.pem.pub.json'), '{}');
  const halfway = await stewardInProcess(['keys', 'generate', '--out', work.path('other.pem')]);
  t.equal(printedCode(halfway), 'STW_CLI_FILE_EXISTS', 'an existing public half also stops it');
  t.throws(() => readFileSync(work.path('other.pem')), 'and no private key was written');
  t.equal(printedCode(await stewardInProcess(['keys', 'generate', '--type', 'dsa', '--out', work.path('x.pem')])), 'STW_CLI_USAGE');
});

t.test('root create refuses thresholds above the keys and a key listed twice', async (t) => {
  const work = makeWorkDir(t);
  await keys(work, ['r1', 'tg', 'sn', 'ts']);
  const base = ['repo', 'root', 'create', '--targets-key', pub(work, 'tg'), '--snapshot-key', pub(work, 'sn'), '--timestamp-key', pub(work, 'ts'), '--out', work.path('root.json')];
  const high = await stewardInProcess([...base, '--root-key', pub(work, 'r1'), '--root-threshold', '2']);
  t.equal(high.code, 2);
  const twice = await stewardInProcess([...base, '--root-key', pub(work, 'r1'), '--root-key', pub(work, 'r1')]);
  t.equal(twice.code, 2);
  const notAKey = await stewardInProcess([...base, '--root-key', work.path('r1.pem')]);
  t.equal(printedCode(notAKey), 'STW_CLI_FILE_UNREADABLE', 'a private PEM is not a public key file');
});

t.test('a rotation is the next version, signed by old and new root keys', async (t) => {
  const work = makeWorkDir(t);
  await keys(work, ['old', 'new', 'tg', 'sn', 'ts', 'sn2']);
  const created = await stewardInProcess([
    'repo', 'root', 'create', '--root-key', pub(work, 'old'), '--targets-key', pub(work, 'tg'),
    '--snapshot-key', pub(work, 'sn'), '--timestamp-key', pub(work, 'ts'), '--out', work.path('1.root.json'),
  ]);
  t.equal(created.code, 0, created.stderr);
  t.equal((await stewardInProcess(['repo', 'sign', work.path('1.root.json'), '--key', work.path('old.pem')])).code, 0);

  const nothing = await stewardInProcess(['repo', 'root', 'rotate', '--current', work.path('1.root.json'), '--out', work.path('x.json')]);
  t.equal(nothing.code, 2, 'a rotation that changes nothing is refused');

  const rotated = await stewardInProcess(['repo', 'root', 'rotate', '--current', work.path('1.root.json'), '--root-key', pub(work, 'new'), '--snapshot-key', pub(work, 'sn2'), '--out', work.path('2.root.json')]);
  t.equal(rotated.code, 0, rotated.stderr);
  const v1 = readRoot(work.path('1.root.json')).signed;
  const v2 = readRoot(work.path('2.root.json'));
  t.equal(v2.signed.version, 2);
  t.equal(v2.signatures.length, 0, 'written unsigned');
  t.notSame([...v2.signed.authority('root').keys.keys()], [...v1.authority('root').keys.keys()], 'root keys replaced');
  t.notSame([...v2.signed.authority('snapshot').keys.keys()], [...v1.authority('snapshot').keys.keys()], 'snapshot key replaced');
  t.same([...v2.signed.authority('targets').keys.keys()], [...v1.authority('targets').keys.keys()], 'targets kept');
  t.same([...v2.signed.authority('timestamp').keys.keys()], [...v1.authority('timestamp').keys.keys()], 'timestamp kept');

  const signed = await stewardInProcess(['repo', 'sign', work.path('2.root.json'), '--key', work.path('old.pem'), '--key', work.path('new.pem')]);
  t.equal(signed.code, 0);
  const final = readRoot(work.path('2.root.json'));
  t.ok(countSignatures(final, v1.authority('root')).met, 'the previous root keys signed');
  t.ok(countSignatures(final, final.signed.authority('root')).met, 'the new root keys signed');
  t.match(signed.stdout, /1 of 1 required \(met\)/);

  const resigned = await stewardInProcess(['repo', 'sign', work.path('2.root.json'), '--key', work.path('new.pem')]);
  t.equal(resigned.code, 0);
  t.equal(readRoot(work.path('2.root.json')).signatures.length, 2, 'signing again with one key replaces its signature');
});

t.test('repo sign of a file that is not metadata names the problem', async (t) => {
  const work = makeWorkDir(t);
  await keys(work, ['k']);
  writeFileSync(work.path('notes.json'), '{"signed":{"_type":"mirrors"},"signatures":[]}');
  const run = await stewardInProcess(['repo', 'sign', work.path('notes.json'), '--key', work.path('k.pem')]);
  t.equal(run.code, 1);
  t.equal(printedCode(run), 'STW_CLI_FILE_UNREADABLE');
  t.equal(readFileSync(work.path('notes.json'), 'utf8'), '{"signed":{"_type":"mirrors"},"signatures":[]}', 'the file is untouched');
});
