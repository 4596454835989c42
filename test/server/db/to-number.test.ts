import t from 'tap';
import { StorageError, toNumber } from '../../../server/db/index.js';

t.test('driver representations of integers read as numbers', async (t) => {
  t.equal(toNumber(42), 42);
  t.equal(toNumber('42'), 42, 'node-postgres int8 / numeric text');
  t.equal(toNumber(42n), 42);
  t.equal(toNumber('-7'), -7);
  t.equal(toNumber(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
});

t.test('when a value is not a safe integer, toNumber throws STW_DB_INVALID_VALUE', async (t) => {
  for (const value of ['9007199254740993', '1.5', 'abc', '', null, undefined, 1.5, 2n ** 64n]) {
    t.throws(() => toNumber(value), { constructor: StorageError, code: 'STW_DB_INVALID_VALUE' }, String(value));
  }
});
