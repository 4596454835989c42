import { Readable } from 'node:stream';
import t from 'tap';
import { StorageError } from '../../../server/blobs/index.js';
import { checkRangeAnswer, firstBytes } from '../../../server/blobs/s3-range.js';

async function collect(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

t.test('an exact answer passes with the total length', async (t) => {
  t.same(checkRangeAnswer({ start: 10, end: 19 }, 'bytes 10-19/100', 'k'), { totalLength: 100, length: 10 });
  t.same(checkRangeAnswer({ start: 90 }, 'bytes 90-99/100', 'k'), { totalLength: 100, length: 10 });
  t.same(checkRangeAnswer({ start: 90, end: 500 }, 'bytes 90-99/100', 'k'), { totalLength: 100, length: 10 }, 'end clipped');
});

t.test('when the store answers bytes=0-0 with more bytes, only the wanted byte is passed on', async (t) => {
  const answer = checkRangeAnswer({ start: 0, end: 0 }, 'bytes 0-9999/10000', 'k');
  t.same(answer, { totalLength: 10000, length: 1 });
  const body = Readable.from([Buffer.from('abc'), Buffer.from('def')]);
  t.same(await collect(firstBytes(body, answer.length)), Buffer.from('a'));
});

t.test('firstBytes stops in the middle of a later chunk', async (t) => {
  const body = Readable.from([Buffer.from('abc'), Buffer.from('defgh'), Buffer.from('ijk')]);
  t.same(await collect(firstBytes(body, 5)), Buffer.from('abcde'));
});

t.test('when the store answers 206 on an empty object, the range is unsatisfiable', async (t) => {
  t.throws(() => checkRangeAnswer({ start: 0 }, 'bytes 0-0/0', 'k'), { constructor: StorageError, code: 'STW_BLOB_RANGE_NOT_SATISFIABLE' });
});

t.test('when the store ignores the range or answers another one, it is a backend error', async (t) => {
  t.throws(() => checkRangeAnswer({ start: 10 }, undefined, 'k'), { code: 'STW_BLOB_BACKEND' }, 'no Content-Range');
  t.throws(() => checkRangeAnswer({ start: 10 }, 'bytes 0-99/100', 'k'), { code: 'STW_BLOB_BACKEND' }, 'another start');
  t.throws(() => checkRangeAnswer({ start: 10, end: 50 }, 'bytes 10-20/100', 'k'), { code: 'STW_BLOB_BACKEND' }, 'short');
});
