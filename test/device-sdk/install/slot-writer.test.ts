// writeSlotImage when a slot write fails while the next chunk of the image is still being read.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableFs } from '../../../device-sdk/durable/durable-fs.js';
import { writeSlotImage } from '../../../device-sdk/install/index.js';

t.test('a write that fails while the next chunk is read rejects the call, with no unhandled rejection', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-slot-writer-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  t.teardown(() => void process.off('unhandledRejection', onUnhandled));
  const failure = new Error('disk gone');
  let writes = 0;
  const fs = new DurableFs({
    onStep: (step) => {
      if (step.kind === 'write' && ++writes === 1) throw failure;
    },
  });
  // The second chunk arrives only after I/O (a timer), as a file or network read would.
  async function* image(): AsyncGenerator<Uint8Array> {
    yield Buffer.alloc(1024, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    yield Buffer.alloc(1024, 2);
  }
  await t.rejects(writeSlotImage(fs, join(dir, 'slot-b.img'), image(), 4096, () => new Error('too long')), failure);
  await new Promise((resolve) => setImmediate(resolve));
  t.same(unhandled, [], 'no unhandled rejection');
});
