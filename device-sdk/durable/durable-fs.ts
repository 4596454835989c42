/**
 * File writes that survive power loss, and the seam the power-cut tests use.
 *
 * Every durable change goes through the same steps: write to a temporary file, fsync it,
 * rename it over the target (atomic on POSIX file systems), fsync the directory so the
 * rename itself is on disk. `onStep` is called *before* each step with its name, which is
 * how the crash harness enumerates every point a power cut can fall on and kills the process
 * there (test/device-sdk/crash/fixtures/crash-points.ts).
 *
 * `replaceFiles` applies several such changes with the flushes shared: every temporary file
 * is written and fsynced at once, then the renames and unlinks run in the order given, then
 * each directory is fsynced once.
 *
 * @example
 * const fs = new DurableFs();
 * await fs.writeFileAtomic('/var/steward/state.json', Buffer.from('{}'));
 */
import { closeSync, fsync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink, mkdir, type FileHandle } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DeviceError } from '../errors.js';

export type DurableStepKind = 'open' | 'write' | 'fsync' | 'rename' | 'fsync-dir' | 'unlink';

export interface DurableStep {
  readonly kind: DurableStepKind;
  readonly path: string;
}

/** One change of `replaceFiles`: new contents for `path`, or `undefined` to remove it. */
export interface DurableChange {
  readonly path: string;
  readonly data: Uint8Array | undefined;
}

export interface DurableFsOptions {
  /** Called before every step that changes the disk. */
  readonly onStep?: (step: DurableStep) => void;
}

/** An open file written through DurableFs steps. */
export interface DurableWriter {
  write(chunk: Uint8Array): Promise<void>;
  /** Append `chunks` in order with as few system calls as the platform allows (writev). */
  writeAll(chunks: readonly Uint8Array[]): Promise<void>;
  /** fsync the file contents. */
  sync(): Promise<void>;
  /**
   * fdatasync what was written so far, while writing goes on: lets a long write reach the
   * disk as it goes, so the closing `sync()` has little left to wait for. Not a substitute
   * for `sync()`.
   */
  flushEarly(): Promise<void>;
  close(): Promise<void>;
}

export class DurableFs {
  readonly #onStep: (step: DurableStep) => void;

  constructor(options: DurableFsOptions = {}) {
    this.#onStep = options.onStep ?? (() => {});
  }

  /** Replace `path` with `data` so that a power cut leaves either the old or the new file. */
  async writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
    const temporary = DurableFs.temporaryPathFor(path);
    try {
      const writer = await this.openWriter(temporary, 'w');
      try {
        await writer.write(data);
        await writer.sync();
      } finally {
        await writer.close();
      }
      await this.renameDurably(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => {});
      throw wrap(error, path);
    }
  }

  /**
   * Apply `changes` so that a power cut leaves each file either old or new (a removed file:
   * present or gone), with one directory fsync per directory instead of one per file:
   * 1. every new content goes to its own temporary file; all are written, then fsynced
   *    concurrently (the file system can merge the flushes into one journal commit);
   * 2. only once every temporary file is durable: rename each over its target and unlink
   *    each removal, in the order of `changes`;
   * 3. fsync each directory once, which makes the renames and unlinks durable.
   * A cut during 3 or before it may leave any mix of old and new files: file systems that
   * journal directory operations in order (ext4, XFS) keep the order of 2, but nothing here
   * depends on it. On failure the temporary files not yet renamed are removed.
   *
   * Meant for small files (metadata, state): the steps that only touch the page cache and the
   * directory (open, write, rename, unlink, close) run synchronously, microseconds each; only
   * the fsyncs, which wait for the device, go to the thread pool. A cold TUF refresh made
   * about twenty thread-pool round trips per commit before.
   */
  async replaceFiles(changes: readonly DurableChange[]): Promise<void> {
    const temporaries = new Map<DurableChange, string>();
    const descriptors: { fd: number; path: string; temporary: string }[] = [];
    try {
      try {
        for (const change of changes) {
          if (change.data === undefined) continue;
          const temporary = DurableFs.temporaryPathFor(change.path);
          temporaries.set(change, temporary);
          this.#onStep({ kind: 'open', path: temporary });
          try {
            const fd = openSync(temporary, 'w');
            descriptors.push({ fd, path: change.path, temporary });
            this.#onStep({ kind: 'write', path: temporary });
            writeAllSync(fd, change.data);
          } catch (error) {
            throw wrap(error, change.path);
          }
        }
        const synced = await Promise.allSettled(
          descriptors.map(async ({ fd, path, temporary }) => {
            this.#onStep({ kind: 'fsync', path: temporary });
            await fsyncDescriptor(fd).catch((error: unknown) => {
              throw wrap(error, path);
            });
          }),
        );
        for (const result of synced) if (result.status === 'rejected') throw result.reason;
      } finally {
        for (const { fd } of descriptors) closeQuietly(fd);
      }
      for (const change of changes) {
        const temporary = temporaries.get(change);
        if (temporary === undefined) {
          this.#onStep({ kind: 'unlink', path: change.path });
          try {
            unlinkSync(change.path);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw wrap(error, change.path);
          }
        } else {
          this.#onStep({ kind: 'rename', path: change.path });
          try {
            renameSync(temporary, change.path);
          } catch (error) {
            throw wrap(error, change.path);
          }
          temporaries.delete(change);
        }
      }
    } catch (error) {
      for (const temporary of temporaries.values()) removeQuietly(temporary);
      throw error instanceof DeviceError ? error : wrap(error, changes[0]?.path ?? '');
    }
    for (const directory of new Set(changes.map((change) => dirname(change.path)))) await this.fsyncDirectory(directory);
  }

  /** Open a file for writing; `flags` as in fs.open ('w' truncates, 'r+' keeps, 'a' appends). */
  async openWriter(path: string, flags: 'w' | 'r+' | 'a'): Promise<DurableWriter> {
    this.#onStep({ kind: 'open', path });
    let handle: FileHandle;
    try {
      handle = await open(path, flags);
    } catch (error) {
      throw wrap(error, path);
    }
    return new StepWriter(handle, path, this.#onStep);
  }

  /** Rename then fsync the target's directory, so the new name survives a power cut. */
  async renameDurably(from: string, to: string): Promise<void> {
    this.#onStep({ kind: 'rename', path: to });
    await rename(from, to).catch((error: unknown) => {
      throw wrap(error, to);
    });
    await this.fsyncDirectory(dirname(to));
  }

  async unlinkDurably(path: string): Promise<void> {
    await this.#unlink(path);
    await this.fsyncDirectory(dirname(path));
  }

  /** Unlink without the directory fsync; a missing file is not an error. */
  async #unlink(path: string): Promise<void> {
    this.#onStep({ kind: 'unlink', path });
    await unlink(path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw wrap(error, path);
    });
  }

  async fsyncDirectory(directory: string): Promise<void> {
    this.#onStep({ kind: 'fsync-dir', path: directory });
    let fd: number;
    try {
      fd = openSync(directory, 'r');
    } catch (error) {
      throw wrap(error, directory);
    }
    try {
      await fsyncDescriptor(fd);
    } catch (error) {
      throw wrap(error, directory);
    } finally {
      closeSync(fd);
    }
  }

  async ensureDirectory(directory: string): Promise<void> {
    await mkdir(directory, { recursive: true }).catch((error: unknown) => {
      throw wrap(error, directory);
    });
  }

  /** A temporary name next to `path` (same directory, so the rename stays on one file system). */
  static temporaryPathFor(path: string): string {
    return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  }
}

class StepWriter implements DurableWriter {
  constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    private readonly onStep: (step: DurableStep) => void,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.onStep({ kind: 'write', path: this.path });
    let offset = 0;
    while (offset < chunk.byteLength) {
      const { bytesWritten } = await this.handle.write(chunk, offset, chunk.byteLength - offset);
      offset += bytesWritten;
    }
  }

  async writeAll(chunks: readonly Uint8Array[]): Promise<void> {
    this.onStep({ kind: 'write', path: this.path });
    let pending = chunks.filter((chunk) => chunk.byteLength > 0);
    while (pending.length > 0) {
      let { bytesWritten } = await this.handle.writev(pending as Uint8Array[]);
      // A short writev: drop what was written and go on with the rest.
      let index = 0;
      while (index < pending.length && bytesWritten >= (pending[index]?.byteLength ?? 0)) {
        bytesWritten -= pending[index]?.byteLength ?? 0;
        index++;
      }
      pending = pending.slice(index);
      const first = pending[0];
      if (first !== undefined && bytesWritten > 0) pending[0] = first.subarray(bytesWritten);
    }
  }

  async sync(): Promise<void> {
    this.onStep({ kind: 'fsync', path: this.path });
    await this.handle.sync();
  }

  async flushEarly(): Promise<void> {
    this.onStep({ kind: 'fsync', path: this.path });
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Write all of `data` at the descriptor's position (a short write goes on with the rest). */
function writeAllSync(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.byteLength) offset += writeSync(fd, data, offset, data.byteLength - offset);
}

/** Close during cleanup: the error being reported matters more than a failing close. */
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already reporting another failure, or nothing left to lose
  }
}

/** Remove a temporary file during cleanup; a leftover is removed by the store's next commit. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // the error being reported matters more
  }
}

function fsyncDescriptor(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
}

function wrap(error: unknown, path: string): DeviceError {
  if (error instanceof DeviceError) return error;
  return new DeviceError('STW_DEVICE_STORE_FAILED', `durable write to ${path} failed`, { cause: error, details: { path } });
}
