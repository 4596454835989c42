import t from 'tap';
import { WriteCoalescer } from '../../../../server/fleet/batch/write-coalescer.js';

/** A write whose completion the test controls. */
function controlledWriter() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const write = (items: readonly number[]) => {
    batches.push([...items]);
    return new Promise<number[]>((resolve) => releases.push(() => resolve(items.map((item) => item * 10))));
  };
  return { batches, releases, write };
}

t.test('writes that arrive during a batch go together in the next one', async (t) => {
  const { batches, releases, write } = controlledWriter();
  const coalescer = new WriteCoalescer(write, { maxBatch: 100, concurrency: 1 });
  const first = coalescer.submit(1);
  const rest = [2, 3, 4, 5].map((item) => coalescer.submit(item));
  t.same(batches, [[1]], 'the first write starts at once, alone');
  t.equal(coalescer.waiting, 4);
  releases.shift()?.();
  t.equal(await first, 10);
  await new Promise((resolve) => setImmediate(resolve));
  t.same(batches, [[1], [2, 3, 4, 5]], 'the waiting four in one batch');
  releases.shift()?.();
  t.same(await Promise.all(rest), [20, 30, 40, 50], 'each submitter gets its own result');
});

t.test('batches are capped at maxBatch and several may run at once', async (t) => {
  const { batches, releases, write } = controlledWriter();
  const coalescer = new WriteCoalescer(write, { maxBatch: 2, concurrency: 2 });
  const all = [1, 2, 3, 4, 5, 6].map((item) => coalescer.submit(item));
  t.same(batches, [[1], [2]], 'two batches in flight');
  while (releases.length > 0) {
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.same(await Promise.all(all), [10, 20, 30, 40, 50, 60]);
  t.ok(batches.every((batch) => batch.length <= 2));
  t.same(batches.flat().sort(), [1, 2, 3, 4, 5, 6]);
});

t.test('when a batch fails, its items are retried one by one and only the bad one fails', async (t) => {
  const seen: number[][] = [];
  let gate: (() => void) | undefined;
  const coalescer = new WriteCoalescer<number, number>(async (items) => {
    seen.push([...items]);
    if (seen.length === 1) await new Promise<void>((resolve) => (gate = resolve));
    if (items.includes(13)) throw Object.assign(new Error('constraint'), { code: 'BAD' });
    return items.map((item) => item + 1);
  });
  const first = coalescer.submit(1);
  const others = [2, 13, 4].map((item) => coalescer.submit(item).then((value) => ({ value }), (error: { code: string }) => ({ error: error.code })));
  gate?.();
  t.equal(await first, 2);
  t.same(await Promise.all(others), [{ value: 3 }, { error: 'BAD' }, { value: 5 }]);
  t.same(seen, [[1], [2, 13, 4], [2], [13], [4]]);
});
