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
