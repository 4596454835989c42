import t from 'tap';
import { DeviceError } from '../../../device-sdk/errors.js';
import { MemoryMetadataStore, type MetadataStore } from '../../../device-sdk/store/index.js';
import { PersistQueue } from '../../../device-sdk/tuf/persist-queue.js';

/** A store whose writes complete only when the test releases them, logging what reaches it. */
function gatedStore(failOn?: string) {
  const inner = new MemoryMetadataStore();
  const log: string[] = [];
  const gates: (() => void)[] = [];
  const store: MetadataStore = {
    read: (role) => inner.read(role),
    write: async (role, bytes) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      if (role === failOn) throw new DeviceError('STW_DEVICE_STORE_FAILED', 'disk full');
      log.push(`write ${role}`);
      await inner.write(role, bytes);
    },
    delete: async (role) => {
      log.push(`delete ${role}`);
      await inner.delete(role);
    },
  };
  /** Let the next queued write through, once it has reached the store. */
  const releaseNext = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    gates.shift()?.();
  };
  return { store, log, gates, releaseNext };
}

t.test('queued writes reach the store one at a time in the order they were made', async (t) => {
  const { store, log, gates, releaseNext } = gatedStore();
  const persist = new PersistQueue(store);
  persist.write('root', Buffer.from('r'));
  persist.delete('timestamp');
  persist.write('timestamp', Buffer.from('t'));
  const drained = persist.drain();
  for (let i = 0; i < 2; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    t.equal(gates.length, 1, 'never two writes in flight');
    await releaseNext();
  }
  await drained;
  t.same(log, ['write root', 'delete timestamp', 'write timestamp']);
});

t.test('a read waits for the queued writes of its role only', async (t) => {
  const { store, releaseNext } = gatedStore();
  const persist = new PersistQueue(store);
  persist.write('timestamp', Buffer.from('new'));
  t.equal(await persist.read('snapshot'), undefined, 'another role is read at once');
  const read = persist.read('timestamp');
  await releaseNext();
  t.same(Buffer.from((await read) ?? []).toString(), 'new');
});

t.test('after a failed write nothing later is written and the failure surfaces', async (t) => {
  const { store, log, gates, releaseNext } = gatedStore('timestamp');
  const persist = new PersistQueue(store);
  persist.write('timestamp', Buffer.from('t'));
  persist.write('snapshot', Buffer.from('s'));
  const drained = persist.drain();
  await releaseNext();
  await t.rejects(drained, { code: 'STW_DEVICE_STORE_FAILED' });
  await t.rejects(persist.read('targets'), { code: 'STW_DEVICE_STORE_FAILED' });
  t.same(log, []);
  t.equal(gates.length, 0, 'the snapshot write never reached the store');
});
