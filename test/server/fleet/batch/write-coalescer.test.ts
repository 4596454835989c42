import t from 'tap';
import { WriteCoalescer } from '../../../../server/fleet/batch/write-coalescer.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

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

t.test('writes of one turn go in one batch, and those arriving during a batch in the next', async (t) => {
  const { batches, releases, write } = controlledWriter();
  const coalescer = new WriteCoalescer(write, { maxBatch: 100, concurrency: 1 });
  const first = [1, 2].map((item) => coalescer.submit(item));
  t.same(batches, [], 'nothing is written before the requests already received had their turn');
  await nextTurn();
  t.same(batches, [[1, 2]]);
  const rest = [3, 4, 5].map((item) => coalescer.submit(item));
  await nextTurn();
  t.same(batches, [[1, 2]], 'one batch at a time');
  t.equal(coalescer.waiting, 3);
  releases.shift()?.();
  t.same(await Promise.all(first), [10, 20], 'each submitter gets its own result');
  await nextTurn();
  t.same(batches, [[1, 2], [3, 4, 5]]);
  releases.shift()?.();
  t.same(await Promise.all(rest), [30, 40, 50]);
});

t.test('batches are capped at maxBatch and several may run at once', async (t) => {
  const { batches, releases, write } = controlledWriter();
  const coalescer = new WriteCoalescer(write, { maxBatch: 2, concurrency: 2 });
  const all = [1, 2, 3, 4, 5, 6].map((item) => coalescer.submit(item));
  await nextTurn();
  t.same(batches, [[1, 2], [3, 4]], 'two batches in flight');
  while (releases.length > 0) {
    releases.shift()?.();
    await nextTurn();
  }
  t.same(await Promise.all(all), [10, 20, 30, 40, 50, 60]);
  t.same(batches, [[1, 2], [3, 4], [5, 6]]);
});

t.test('when a batch fails, its items are retried one by one and only the bad one fails', async (t) => {
  const seen: number[][] = [];
  const coalescer = new WriteCoalescer<number, number>((items) => {
    seen.push([...items]);
    if (items.includes(13)) return Promise.reject(Object.assign(new Error('constraint'), { code: 'BAD' }));
    return Promise.resolve(items.map((item) => item + 1));
  });
  const results = [2, 13, 4].map((item) => coalescer.submit(item).then((value) => ({ value }), (error: { code: string }) => ({ error: error.code })));
  t.same(await Promise.all(results), [{ value: 3 }, { error: 'BAD' }, { value: 5 }]);
  t.same(seen, [[2, 13, 4], [2], [13], [4]]);
});
