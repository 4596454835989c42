import t from 'tap';
import type { DurableWriter } from '../../../device-sdk/durable/durable-fs.js';
import { EARLY_FLUSH_BYTES, MAX_QUEUED_BYTES, WriteQueue } from '../../../device-sdk/download/write-queue.js';

/** A writer whose writes and flushes finish only when the test releases them. */
function gatedWriter() {
  const writes: Uint8Array[][] = [];
  const pendingWrites: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const pendingFlushes: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let flushes = 0;
  const writer: DurableWriter = {
    write: () => Promise.reject(new Error('not used')),
    writeAll: (chunks) => {
      writes.push([...chunks]);
      return new Promise((resolve, reject) => pendingWrites.push({ resolve, reject }));
    },
    sync: () => Promise.resolve(),
    flushEarly: () => {
      flushes++;
      return new Promise((resolve, reject) => pendingFlushes.push({ resolve, reject }));
    },
    close: () => Promise.resolve(),
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    writer,
    writes,
    flushCount: () => flushes,
    async finishWrite(error?: Error) {
      const next = pendingWrites.shift();
      if (next === undefined) throw new Error('no write in flight');
      if (error) next.reject(error);
      else next.resolve();
      await settle();
    },
    async finishFlush(error?: Error) {
      const next = pendingFlushes.shift();
      if (next === undefined) throw new Error('no flush in flight');
      if (error) next.reject(error);
      else next.resolve();
      await settle();
    },
    inFlight: () => pendingWrites.length,
  };
}

const chunk = (size: number, fill = 1) => new Uint8Array(size).fill(fill);

t.test('chunks that arrive while a write runs go out together in the next write, in order', async (t) => {
  const gate = gatedWriter();
  const queue = new WriteQueue(gate.writer);
  const [a, b, c] = [chunk(10, 1), chunk(20, 2), chunk(30, 3)];
  await queue.add(a);
  await queue.add(b);
  await queue.add(c);
  t.equal(gate.inFlight(), 1, 'one write at a time');
  t.same(gate.writes, [[a]]);
  await gate.finishWrite();
  t.same(gate.writes, [[a], [b, c]], 'the gathered chunks, in order');
  await gate.finishWrite();
  await queue.drain();
  t.equal(gate.inFlight(), 0);
});

t.test('add waits for the disk once more than MAX_QUEUED_BYTES are waiting', async (t) => {
  const gate = gatedWriter();
  const queue = new WriteQueue(gate.writer);
  await queue.add(chunk(1024));
  await queue.add(chunk(MAX_QUEUED_BYTES));
  let returned = false;
  const blocked = queue.add(chunk(1)).then(() => (returned = true));
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(returned, false, 'held while the queue is over its limit');
  await gate.finishWrite();
  await blocked;
  t.equal(returned, true, 'released once the write in flight finished');
  await gate.finishWrite();
  await queue.drain();
});

t.test('an early flush starts after EARLY_FLUSH_BYTES are written, one at a time', async (t) => {
  const gate = gatedWriter();
  const queue = new WriteQueue(gate.writer);
  await queue.add(chunk(EARLY_FLUSH_BYTES - 1));
  await gate.finishWrite();
  t.equal(gate.flushCount(), 0, 'not before the threshold');
  await queue.add(chunk(1));
  await gate.finishWrite();
  t.equal(gate.flushCount(), 1, 'one flush at the threshold');
  await queue.add(chunk(EARLY_FLUSH_BYTES));
  await gate.finishWrite();
  t.equal(gate.flushCount(), 1, 'no second flush while the first runs');
  let drained = false;
  const draining = queue.drain().then(() => (drained = true));
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(drained, false, 'drain waits for the flush in progress');
  await gate.finishFlush();
  await draining;
});

t.test('a failed early flush fails the download, even if later writes succeed', async (t) => {
  const gate = gatedWriter();
  const queue = new WriteQueue(gate.writer);
  await queue.add(chunk(EARLY_FLUSH_BYTES));
  await gate.finishWrite();
  await gate.finishFlush(new Error('EIO on write-back'));
  await t.rejects(queue.add(chunk(1)), /EIO on write-back/);
  await t.rejects(queue.drain(), /EIO on write-back/);
});

t.test('a failed write fails the next add and the drain', async (t) => {
  const gate = gatedWriter();
  const queue = new WriteQueue(gate.writer);
  await queue.add(chunk(10));
  await queue.add(chunk(10));
  await gate.finishWrite(new Error('ENOSPC'));
  t.equal(gate.inFlight(), 0, 'nothing more is written after a failure');
  await t.rejects(queue.add(chunk(1)), /ENOSPC/);
  await t.rejects(queue.drain(), /ENOSPC/);
});
