/**
 * The body loop both HTTP fetchers share: each wait for the next chunk is bounded by the idle
 * timeout, and the running total by the request's cap (TUF 5.x "endless data": an endless or
 * stalled body fails instead of filling the disk or hanging). `release` runs however the
 * iteration ends.
 */
import type { Abort } from './fetch-abort.js';
import type { FetchRequest } from './fetcher.js';
import type { TimerScheduler } from './http-fetcher.js';
import { tooLarge } from './response-head.js';

export interface ChunkLimits {
  readonly schedule: TimerScheduler;
  readonly idleTimeoutMs: number;
  readonly abort: Abort;
  readonly request: FetchRequest;
  /** Offset of the body's first byte in the whole resource. */
  readonly start: number;
}

/** One read of the underlying body: a chunk, or the end. */
export type ChunkRead = () => Promise<{ readonly done?: boolean; readonly value?: Uint8Array }>;

export async function* boundedChunks(read: ChunkRead, limits: ChunkLimits, release: () => void | Promise<void>): AsyncGenerator<Uint8Array> {
  const { schedule, idleTimeoutMs, abort, request } = limits;
  let position = limits.start;
  try {
    for (;;) {
      const cancelIdle = schedule(idleTimeoutMs, () => abort.timeout('idle'));
      let next: Awaited<ReturnType<ChunkRead>>;
      try {
        next = await read();
      } catch (error) {
        throw abort.toError(error, request.url);
      } finally {
        cancelIdle();
      }
      if (next.done === true || next.value === undefined) return;
      position += next.value.byteLength;
      if (position > request.maxLength) throw tooLarge(request, position);
      yield next.value;
    }
  } finally {
    await release();
  }
}
