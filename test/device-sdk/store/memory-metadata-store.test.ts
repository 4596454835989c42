import t from 'tap';
import { MemoryMetadataStore } from '../../../device-sdk/store/index.js';

t.test('the memory store keeps copies: changing the caller buffer changes nothing stored', async (t) => {
  const bytes = Buffer.from('abc');
  const store = new MemoryMetadataStore({ root: bytes });
  bytes[0] = 0x7a;
  t.same(Buffer.from((await store.read('root')) ?? []).toString(), 'abc');
  const read = await store.read('root');
  if (read) read[0] = 0x7a;
  t.same(Buffer.from((await store.read('root')) ?? []).toString(), 'abc');
});

t.test('the memory store writes, lists and deletes roles', async (t) => {
  const store = new MemoryMetadataStore();
  await store.write('timestamp', Buffer.from('1'));
  await store.write('snapshot', Buffer.from('2'));
  t.same(store.roles().sort(), ['snapshot', 'timestamp']);
  await store.delete('timestamp');
  await store.delete('timestamp');
  t.same(store.roles(), ['snapshot']);
  t.equal(await store.read('timestamp'), undefined);
});

t.test('the memory store applies a commit in order, keeping copies', async (t) => {
  const store = new MemoryMetadataStore({ snapshot: Buffer.from('s1') });
  const bytes = Buffer.from('r2');
  await store.commit([
    { role: 'root', bytes },
    { role: 'snapshot', bytes: undefined },
    { role: 'timestamp', bytes: Buffer.from('t1') },
    { role: 'timestamp', bytes: Buffer.from('t2') },
  ]);
  bytes[0] = 0x7a;
  t.same(store.roles().sort(), ['root', 'timestamp']);
  t.same(Buffer.from((await store.read('root')) ?? []).toString(), 'r2');
  t.same(Buffer.from((await store.read('timestamp')) ?? []).toString(), 't2', 'the later change of a role wins');
});
