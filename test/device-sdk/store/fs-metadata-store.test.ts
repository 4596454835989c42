import t from 'tap';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DurableFs, type DurableStep } from '../../../device-sdk/durable/durable-fs.js';
import { FsMetadataStore } from '../../../device-sdk/store/index.js';

t.test('a role written is read back, under <role>.json in the directory', async (t) => {
  const dir = t.testdir({});
  const store = new FsMetadataStore(dir);
  await store.write('timestamp', Buffer.from('{"v":1}'));
  t.same(Buffer.from((await store.read('timestamp')) ?? []), Buffer.from('{"v":1}'));
  t.same(await readdir(dir), ['timestamp.json']);
});

t.test('a role never written reads as undefined', async (t) => {
  t.equal(await new FsMetadataStore(t.testdir({})).read('snapshot'), undefined);
});

t.test('the directory is created on the first write', async (t) => {
  const dir = join(t.testdir({}), 'tuf', 'metadata');
  await new FsMetadataStore(dir).write('root', Buffer.from('{}'));
  t.same(await readdir(dir), ['root.json']);
});

t.test('every write goes through the durable steps: temp file, fsync, rename, directory fsync', async (t) => {
  const dir = t.testdir({});
  const steps: DurableStep[] = [];
  const store = new FsMetadataStore(dir, { fs: new DurableFs({ onStep: (step) => steps.push(step) }) });
  await store.write('targets', Buffer.from('{}'));
  t.same(
    steps.map((step) => step.kind),
    ['open', 'write', 'fsync', 'rename', 'fsync-dir'],
  );
  t.equal(steps[3]?.path, join(dir, 'targets.json'));
});

t.test('a delete removes the file, and deleting a missing role is not an error', async (t) => {
  const dir = t.testdir({});
  const store = new FsMetadataStore(dir);
  await store.write('snapshot', Buffer.from('{}'));
  await store.delete('snapshot');
  await store.delete('snapshot');
  t.same(await readdir(dir), []);
});

t.test('role names that are not file-name safe are percent-encoded', async (t) => {
  const dir = t.testdir({});
  const store = new FsMetadataStore(dir);
  await store.write('../../etc/passwd', Buffer.from('x'));
  await store.write('.hidden', Buffer.from('y'));
  t.same((await readdir(dir)).sort(), ['%2E.%2F..%2Fetc%2Fpasswd.json', '%2Ehidden.json']);
  t.same(await readFile(store.pathOf('../../etc/passwd'), 'utf8'), 'x');
});

t.test('a read that fails for another reason than absence is a store failure', async (t) => {
  const dir = t.testdir({ 'root.json': {} });
  await t.rejects(new FsMetadataStore(dir).read('root'), { code: 'STW_DEVICE_STORE_FAILED' });
});

t.test('temporary files left by an interrupted write are removed by the first write', async (t) => {
  const dir = t.testdir({ '.timestamp.json.0a1b2c3d4e5f.tmp': 'half', 'root.json': 'r', 'notes.txt': 'kept' });
  const store = new FsMetadataStore(dir);
  t.equal(await store.read('timestamp'), undefined, 'never read as metadata');
  await store.write('timestamp', Buffer.from('t'));
  t.same((await readdir(dir)).sort(), ['notes.txt', 'root.json', 'timestamp.json']);
});

/** Steps as `kind name`, temporary names shortened to `.<file>.*.tmp`. */
function stepNames(steps: readonly DurableStep[]): string[] {
  return steps.map((step) => `${step.kind} ${basename(step.path).replace(/\.[0-9a-f]{12}\.tmp$/, '.*.tmp')}`);
}

t.test('a commit stages every file first, renames and unlinks in the order given, then fsyncs the directory once', async (t) => {
  const dir = t.testdir({ 'snapshot.json': 'old snapshot', 'timestamp.json': 'old timestamp' });
  const steps: DurableStep[] = [];
  const store = new FsMetadataStore(dir, { fs: new DurableFs({ onStep: (step) => steps.push(step) }) });
  await store.commit([
    { role: 'root', bytes: Buffer.from('r') },
    { role: 'timestamp', bytes: Buffer.from('t') },
    { role: 'snapshot', bytes: undefined },
    { role: 'acme', bytes: Buffer.from('a') },
  ]);
  const names = stepNames(steps);
  const staging = names.slice(0, 9);
  t.same(
    [...staging].sort(),
    ['.acme.json.*.tmp', '.root.json.*.tmp', '.timestamp.json.*.tmp'].flatMap((name) => ['fsync', 'open', 'write'].map((kind) => `${kind} ${name}`)).sort(),
    'each new file is opened, written and fsynced first',
  );
  t.same(names.slice(9), ['rename root.json', 'rename timestamp.json', 'unlink snapshot.json', 'rename acme.json', `fsync-dir ${basename(dir)}`]);
  t.same((await readdir(dir)).sort(), ['acme.json', 'root.json', 'timestamp.json']);
  t.equal(await readFile(join(dir, 'timestamp.json'), 'utf8'), 't');
});

t.test('a commit removes temporary files of an interrupted one under the same directory fsync', async (t) => {
  const dir = t.testdir({ '.root.json.0a1b2c3d4e5f.tmp': 'half', 'notes.txt': 'kept' });
  const steps: DurableStep[] = [];
  const store = new FsMetadataStore(dir, { fs: new DurableFs({ onStep: (step) => steps.push(step) }) });
  await store.commit([{ role: 'root', bytes: Buffer.from('r') }]);
  t.same(stepNames(steps).slice(3), ['rename root.json', 'unlink .root.json.*.tmp', `fsync-dir ${basename(dir)}`]);
  t.same((await readdir(dir)).sort(), ['notes.txt', 'root.json']);
});

t.test('a commit that fails while staging changes nothing and leaves no temporary file', async (t) => {
  const dir = t.testdir({ 'root.json': 'old root' });
  const fs = new DurableFs({
    onStep: (step) => {
      if (step.kind === 'fsync' && step.path.includes('.timestamp.json.')) throw new Error('EIO');
    },
  });
  const store = new FsMetadataStore(dir, { fs });
  await t.rejects(
    store.commit([
      { role: 'root', bytes: Buffer.from('new root') },
      { role: 'timestamp', bytes: Buffer.from('t') },
    ]),
    { code: 'STW_DEVICE_STORE_FAILED' },
  );
  t.same(await readdir(dir), ['root.json']);
  t.equal(await readFile(join(dir, 'root.json'), 'utf8'), 'old root');
});

t.test('a commit that fails at a rename keeps what was renamed and removes the other temporary files', async (t) => {
  const dir = t.testdir({});
  // A directory where snapshot.json should go: the rename over it fails.
  await mkdir(join(dir, 'snapshot.json'));
  await writeFile(join(dir, 'snapshot.json', 'x'), 'x');
  const store = new FsMetadataStore(dir);
  await t.rejects(
    store.commit([
      { role: 'root', bytes: Buffer.from('r') },
      { role: 'snapshot', bytes: Buffer.from('s') },
      { role: 'targets', bytes: Buffer.from('g') },
    ]),
    { code: 'STW_DEVICE_STORE_FAILED' },
  );
  t.same((await readdir(dir)).sort(), ['root.json', 'snapshot.json']);
});

t.test('an empty commit touches nothing', async (t) => {
  const dir = join(t.testdir({}), 'absent');
  await new FsMetadataStore(dir).commit([]);
  await t.rejects(readdir(dir), { code: 'ENOENT' });
});
