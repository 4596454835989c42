import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { writeDurably } from '../../../server/blobs/durable-file.js';

function freshDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-durable-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

t.test('the file holds the chunks in order, whatever the batch and sync sizes', async (t) => {
  const dir = freshDir(t);
  const bytes = randomBytes(3 * 1024 * 1024 + 17);
  const cases: [string, { batchBytes: number; syncEveryBytes: number }, number][] = [
    ['defaults-like: 1 MiB batches, chunks of 64 KiB', { batchBytes: 1024 * 1024, syncEveryBytes: 2 * 1024 * 1024 }, 64 * 1024],
    ['a background fdatasync after every write', { batchBytes: 100_000, syncEveryBytes: 1 }, 10_000],
    ['chunks larger than a batch', { batchBytes: 4096, syncEveryBytes: 0 }, 500_000],
    ['one byte a chunk, many to a writev', { batchBytes: 1 << 20, syncEveryBytes: 0 }, 1],
  ];
  for (const [name, options, size] of cases) {
    const input = size === 1 ? bytes.subarray(0, 5000) : bytes;
    const path = join(dir, `${cases.findIndex(([other]) => other === name)}.part`);
    await writeDurably(path, chunked(input, size), options);
    t.ok(readFileSync(path).equals(input), name);
  }
});

t.test('an empty source makes an empty file', async (t) => {
  const path = join(freshDir(t), 'empty.part');
  await writeDurably(path, chunked(Buffer.alloc(0), 1));
  t.equal(readFileSync(path).length, 0);
});

t.test('when the source fails, its error is thrown once the file is closed', async (t) => {
  const path = join(freshDir(t), 'broken.part');
  const failure = new Error('client went away');
  async function* broken(): AsyncGenerator<Uint8Array> {
    yield randomBytes(3 * 1024 * 1024);
    throw failure;
  }
  await t.rejects(writeDurably(path, broken(), { batchBytes: 1024 * 1024, syncEveryBytes: 1 }), failure);
  rmSync(path);
  t.pass('the caller can remove the partial file');
});

t.test('an existing file is never overwritten', async (t) => {
  const path = join(freshDir(t), 'taken.part');
  writeFileSync(path, 'already here');
  await t.rejects(writeDurably(path, chunked(Buffer.from('new'), 1)), { code: 'EEXIST' });
  t.equal(readFileSync(path, 'utf8'), 'already here');
});
