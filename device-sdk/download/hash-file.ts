/**
 * Feed a file's bytes into a hasher with one reused buffer (bounded memory whatever the size).
 */
import { open } from 'node:fs/promises';
import type { ArtifactHasher } from './artifact-hasher.js';

/** Read buffer size in bytes. */
const chunkBytes = 1 << 20;

/** Hash the first `limit` bytes of `path` (all of it when omitted); returns the bytes read. */
export async function hashFile(path: string, hasher: ArtifactHasher, limit = Number.MAX_SAFE_INTEGER): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let total = 0;
    while (total < limit) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(chunkBytes, limit - total), total);
      if (bytesRead === 0) break;
      hasher.update(buffer.subarray(0, bytesRead));
      total += bytesRead;
    }
    return total;
  } finally {
    await handle.close();
  }
}
