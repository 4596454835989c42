/**
 * One fetch attempt of a download: ask for the bytes from the current position, hash each
 * chunk and append it to the partial file (write-queue.ts: gathered writes, one in flight,
 * early flushes; a fetcher must not reuse a chunk's memory after yielding it), then one fsync.
 */
import { DeviceError } from '../errors.js';
import type { DurableFs } from '../durable/durable-fs.js';
import type { Fetcher } from '../fetch/fetcher.js';
import type { PartialState } from './downloader.js';
import type { ExpectedArtifact } from './expected-artifact.js';
import { WriteQueue } from './write-queue.js';

export interface StreamTarget {
  readonly url: string;
  readonly partial: string;
  readonly expected: ExpectedArtifact;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Advances `state` and `counter.received` in place, also when failing part-way: every byte
 * counted in `state.position` (and hashed) is written and fsynced before this returns or
 * throws, so the partial file and the running digests agree.
 */
export async function streamInto(
  fetcher: Fetcher,
  fs: DurableFs,
  target: StreamTarget,
  state: PartialState,
  counter: { received: number },
): Promise<void> {
  const { url, expected } = target;
  const response = await fetcher.fetch({ url, maxLength: expected.length, offset: state.position, signal: target.signal });
  if (response.totalLength !== undefined && response.totalLength !== expected.length) {
    await discard(response.body);
    throw new DeviceError('STW_DEVICE_TARGET_MISMATCH', `${url} is ${response.totalLength} bytes, expected ${expected.length}`, {
      details: { reason: 'length', url, expected: expected.length, actual: response.totalLength },
    });
  }
  if (response.start !== state.position) {
    if (response.start !== 0) {
      await discard(response.body);
      throw new DeviceError('STW_DEVICE_RANGE_UNSUPPORTED', `${url} resumed at ${response.start}, asked ${state.position}`, {
        details: { url, asked: state.position, got: response.start },
      });
    }
    // RFC 9110 14.2: the server may ignore Range and send everything; start over.
    state.hasher.reset();
    state.position = 0;
  }
  const writer = await fs.openWriter(target.partial, state.position === 0 ? 'w' : 'a');
  state.onDisk = true;
  const queue = new WriteQueue(writer);
  let failure: unknown;
  try {
    for await (const chunk of response.body) {
      if (state.position + chunk.byteLength > expected.length) {
        throw new DeviceError('STW_DEVICE_TOO_LARGE', `${url} sent more than ${expected.length} bytes`, {
          details: { url, maxLength: expected.length },
        });
      }
      state.hasher.update(chunk);
      await queue.add(chunk);
      state.position += chunk.byteLength;
      counter.received += chunk.byteLength;
    }
    if (state.position < expected.length) {
      throw new DeviceError('STW_DEVICE_FETCH_FAILED', `${url} ended at byte ${state.position} of ${expected.length}`, {
        details: { url, reason: 'short-body', position: state.position },
      });
    }
  } catch (error) {
    failure = error;
  }
  try {
    await queue.drain();
    await writer.sync();
  } finally {
    await writer.close();
  }
  if (failure !== undefined) throw failure;
}

/** Release a response body we will not read. */
async function discard(body: AsyncIterable<Uint8Array>): Promise<void> {
  const iterator = body[Symbol.asyncIterator]();
  await iterator.return?.();
}
