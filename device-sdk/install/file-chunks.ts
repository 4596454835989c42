/**
 * Stream a file as chunks of a fixed size: the image source for `writeInactive` when the
 * artifact was downloaded to disk first. Memory stays at about two chunks.
 */
import { open } from 'node:fs/promises';

/** Default chunk size in bytes. */
export const defaultChunkBytes = 1 << 20;

export async function* fileChunks(path: string, chunkBytes = defaultChunkBytes): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafeSlow(chunkBytes);
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
