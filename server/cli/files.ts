/**
 * File helpers with the CLI's errors: reading (STW_CLI_FILE_UNREADABLE), creating without
 * ever overwriting (STW_CLI_FILE_EXISTS), and replacing atomically (write aside, then rename,
 * so a crash leaves the old or the new file, never half of one).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { parseJson } from '../../manifests/index.js';
import { CliError } from './cli-error.js';

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError('STW_CLI_FILE_UNREADABLE', `could not read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error, details: { path } });
  }
}

export async function readJsonFile(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return parseJson(Buffer.from(text, 'utf8'));
  } catch (error) {
    throw new CliError('STW_CLI_FILE_UNREADABLE', `${path} is not valid JSON`, { cause: error, details: { path } });
  }
}

/** Creates `path`; never replaces an existing file. */
export async function writeNewFile(path: string, text: string, mode = 0o644): Promise<void> {
  try {
    await writeFile(path, text, { mode, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError('STW_CLI_FILE_EXISTS', `${path} exists; it is not overwritten`, { details: { path } });
    throw new CliError('STW_CLI_FILE_UNREADABLE', `could not write ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error, details: { path } });
  }
}

/** Replaces `path` atomically (same directory, then rename). */
export async function replaceFile(path: string, text: string): Promise<void> {
  const aside = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(aside, text, { flag: 'wx' });
    await rename(aside, path);
  } catch (error) {
    await rm(aside, { force: true });
    throw new CliError('STW_CLI_FILE_UNREADABLE', `could not write ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, { cause: error, details: { path } });
  }
}

/** JSON as the CLI writes it for people to read and carry: two-space indent, final newline. */
export function prettyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
