import t from 'tap';
import { DeviceError } from '../../../device-sdk/errors.js';
import { MemoryMetadataStore, type MetadataChange, type MetadataStore } from '../../../device-sdk/store/index.js';
import { PersistQueue } from '../../../device-sdk/tuf/persist-queue.js';

const text = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : Buffer.from(bytes).toString());

/** A store that logs every call reaching it; with `batches`, it also offers `commit`. */
function loggingStore(options: { batches: boolean; failOn?: string; initial?: Record<string, Uint8Array> }) {
  const inner = new MemoryMetadataStore(options.initial);
  const log: string[] = [];
  const fail = (role: string) => {
    if (role === options.failOn) throw new DeviceError('STW_DEVICE_STORE_FAILED', 'disk full');
  };
  const store: MetadataStore = {
    read: (role) => inner.read(role),
    write: async (role, bytes) => {
      fail(role);
      log.push(`write ${role} ${text(bytes)}`);
      await inner.write(role, bytes);
    },
    delete: async (role) => {
      fail(role);
      log.push(`delete ${role}`);
      await inner.delete(role);
    },
  };
  if (options.batches) {
    store.commit = async (changes: readonly MetadataChange[]) => {
      for (const { role } of changes) fail(role);
      log.push(`commit ${changes.map(({ role, bytes }) => `${role}=${text(bytes) ?? '-'}`).join(' ')}`);
      await inner.commit(changes);
    };
  }
  return { store, inner, log };
}

t.test('nothing reaches the store before drain; reads see the pending bytes and deletes', async (t) => {
  const { store, log } = loggingStore({ batches: true, initial: { timestamp: Buffer.from('t1'), snapshot: Buffer.from('s1') } });
  const persist = new PersistQueue(store);
  persist.write('root', Buffer.from('r2'));
  persist.delete('snapshot');
  t.equal(text(await persist.read('root')), 'r2', 'a pending write is read back');
  t.equal(await persist.read('snapshot'), undefined, 'a pending delete reads as absent');
  t.equal(text(await persist.read('timestamp')), 't1', 'an untouched role is read from the store');
  t.same(log, [], 'the store saw no change yet');
  t.equal(text(await store.read('snapshot')), 's1');
});

t.test('drain commits the final state of each role once, in workflow order', async (t) => {
  const { store, inner, log } = loggingStore({ batches: true, initial: { timestamp: Buffer.from('t1'), snapshot: Buffer.from('s1') } });
  const persist = new PersistQueue(store);
  // Touched out of workflow order on purpose: the commit still runs root first.
  persist.write('acme', Buffer.from('a2'));
  persist.write('targets', Buffer.from('g2'));
  persist.write('root', Buffer.from('r2'));
  persist.write('root', Buffer.from('r3'));
  persist.delete('timestamp');
  persist.delete('snapshot');
  persist.write('constructor', Buffer.from('c1'));
  persist.write('timestamp', Buffer.from('t2'));
  await persist.drain();
  t.same(log, ['commit root=r3 timestamp=t2 snapshot=- targets=g2 acme=a2 constructor=c1']);
  t.same(inner.roles().sort(), ['acme', 'constructor', 'root', 'targets', 'timestamp']);
  await persist.drain();
  t.equal(log.length, 1, 'a second drain has nothing left to commit');
  t.equal(text(await persist.read('root')), 'r3', 'reads go to the store after the commit');
});

t.test('a store without commit gets write and delete one at a time, in the same order', async (t) => {
  const { store, log } = loggingStore({ batches: false });
  const persist = new PersistQueue(store);
  persist.write('targets', Buffer.from('g2'));
  persist.delete('snapshot');
  persist.write('root', Buffer.from('r2'));
  await persist.drain();
  t.same(log, ['write root r2', 'delete snapshot', 'write targets g2']);
});

t.test('a drain with nothing pending does not call the store', async (t) => {
  const { store, log } = loggingStore({ batches: true });
  await new PersistQueue(store).drain();
  t.same(log, []);
});

t.test('a failed commit surfaces at drain', async (t) => {
  const { store, log } = loggingStore({ batches: true, failOn: 'snapshot' });
  const persist = new PersistQueue(store);
  persist.write('timestamp', Buffer.from('t'));
  persist.write('snapshot', Buffer.from('s'));
  await t.rejects(persist.drain(), { code: 'STW_DEVICE_STORE_FAILED' });
  t.same(log, []);
});

t.test('without commit, nothing after a failed write is written', async (t) => {
  const { store, log } = loggingStore({ batches: false, failOn: 'timestamp' });
  const persist = new PersistQueue(store);
  persist.write('snapshot', Buffer.from('s'));
  persist.write('root', Buffer.from('r'));
  persist.write('timestamp', Buffer.from('t'));
  await t.rejects(persist.drain(), { code: 'STW_DEVICE_STORE_FAILED' });
  t.same(log, ['write root r']);
});
