/**
 * The length, SHA-256 and SHA-512 of a file, read as a stream (constant memory for any
 * size): the `length` and `hashes` of its TUF target entry (TUF 4.5 TARGETS).
 *
 * @example
 * const { length, hashes } = await hashFile('fw-1.2.0.bin');
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CliError } from './cli-error.js';

export interface FileDigest {
  readonly length: number;
  readonly hashes: { readonly sha256: string; readonly sha512: string };
}

export async function hashFile(path: string): Promise<FileDigest> {
  const sha256 = createHash('sha256');
  const sha512 = createHash('sha512');
  let length = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      const bytes = chunk as Buffer;
      sha256.update(bytes);
      sha512.update(bytes);
      length += bytes.length;
    }
  } catch (error) {
    throw new CliError('STW_CLI_FILE_UNREADABLE', `could not read ${path}`, { cause: error, details: { path } });
  }
  return { length, hashes: { sha256: sha256.digest('hex'), sha512: sha512.digest('hex') } };
}
