import t from 'tap';
import { resolveRange } from '../../../server/blobs/byte-range.js';

t.test('ranges resolve to inclusive positions, with an end past the blob clipped (RFC 9110 14.1.2)', async (t) => {
  t.same(resolveRange({ start: 0 }, 10), { start: 0, end: 9 });
  t.same(resolveRange({ start: 9 }, 10), { start: 9, end: 9 });
  t.same(resolveRange({ start: 2, end: 4 }, 10), { start: 2, end: 4 });
  t.same(resolveRange({ start: 2, end: 99 }, 10), { start: 2, end: 9 });
});

t.test('ranges that cannot be served are unsatisfiable', async (t) => {
  const cases: [string, { start: number; end?: number }, number][] = [
    ['start at the end', { start: 10 }, 10],
    ['any start in an empty blob', { start: 0 }, 0],
    ['end before start', { start: 5, end: 4 }, 10],
    ['negative start', { start: -1 }, 10],
    ['fractional start', { start: 1.5 }, 10],
    ['NaN end', { start: 1, end: Number.NaN }, 10],
  ];
  for (const [name, range, total] of cases) {
    t.throws(() => resolveRange(range, total), { code: 'STW_BLOB_RANGE_NOT_SATISFIABLE' }, name);
  }
});
