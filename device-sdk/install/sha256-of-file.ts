/** SHA-256 and length of a file, read in bounded chunks (how the simulated bootloader checks a slot). */
import { createHash } from 'node:crypto';
import { fileChunks } from './file-chunks.js';

export async function sha256OfFile(path: string): Promise<{ sha256: string; length: number }> {
  const hash = createHash('sha256');
  let length = 0;
  for await (const chunk of fileChunks(path)) {
    hash.update(chunk);
    length += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), length };
}
