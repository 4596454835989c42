import t from 'tap';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
