/**
 * Write an image stream into a slot (a file standing in for a partition) in one pass:
 * each chunk is hashed while the previous one is being written (one write in flight, so
 * order holds and memory stays bounded), then the slot is fsynced. The caller decides
 * what the result means; this only reports what was written.
 */
import { createHash } from 'node:crypto';
import type { DurableFs } from '../durable/durable-fs.js';

export interface WrittenImage {
  readonly sha256: string;
  readonly length: number;
}

/** Overwrite `path` with the bytes of `image`; stops with `onTooLong` once more than `maxLength` arrive. */
export async function writeSlotImage(
  fs: DurableFs,
  path: string,
  image: AsyncIterable<Uint8Array>,
  maxLength: number,
  onTooLong: (length: number) => Error,
): Promise<WrittenImage> {
  const hash = createHash('sha256');
  const writer = await fs.openWriter(path, 'w');
  let length = 0;
  let inFlight: Promise<void> = Promise.resolve();
  try {
    for await (const chunk of image) {
      length += chunk.byteLength;
      if (length > maxLength) throw onTooLong(length);
      hash.update(chunk);
      await inFlight;
      inFlight = writer.write(chunk);
      // Observed below; until then a failed write must not count as an unhandled rejection
      // while the next chunk is read (Node ends the process on those).
      inFlight.catch(() => {});
    }
    await inFlight;
    await writer.sync();
  } finally {
    await inFlight.catch(() => {});
    await writer.close();
  }
  return { sha256: hash.digest('hex'), length };
}
