import { open, type FileHandle } from 'node:fs/promises';

export interface DurableFileOptions {
  /** Chunks are gathered up to this many bytes and written with one writev. */
  readonly batchBytes: number;
  /** Every this many bytes written, an fdatasync starts in the background (0: never). */
  readonly syncEveryBytes: number;
}

export const defaultDurableFileOptions: DurableFileOptions = {
  batchBytes: 1024 * 1024, // bytes: 16 HTTP reads of 64 KiB per writev
  syncEveryBytes: 64 * 1024 * 1024, // bytes
};

/**
 * Writes `chunks` to a new file (`wx`: never over an existing one) and makes it durable
 * before returning: the bytes are fsynced and the file is closed.
 *
 * While the next batch is received, the previous one is being written (one writev in flight;
 * the chunks are written as they are, never copied), so memory is about two batches. Every
 * `syncEveryBytes` an fdatasync starts beside the writes (one at a time): the disk then takes
 * the upload while it arrives, and the closing fsync only waits for the last few MiB instead of
 * the whole file (with the default dirty-page limits Linux would otherwise hold a 1 GiB upload in
 * memory until that fsync).
 *
 * A failure of `chunks` or of the disk is thrown once nothing is in flight any more and the file
 * is closed; the caller removes the file.
 *
 * @example
 * await writeDurably(`${dir}/.tmp/${uuid}.part`, meter.chunks());
 */
export async function writeDurably(path: string, chunks: AsyncIterable<Uint8Array>, options: DurableFileOptions = defaultDurableFileOptions): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  const writer = new BackgroundWriter(handle, options);
  try {
    let batch: Uint8Array[] = [];
    let batched = 0;
    for await (const chunk of chunks) {
      batch.push(chunk);
      batched += chunk.length;
      if (batched >= options.batchBytes) {
        await writer.write(batch, batched);
        batch = [];
        batched = 0;
      }
    }
    await writer.write(batch, batched);
    await writer.settle();
    await handle.sync(); // POSIX fsync: data and metadata (the size) are on the disk
  } finally {
    await writer.settle().catch(() => undefined);
    await handle.close();
  }
}

/** One writev and at most one fdatasync in flight; their failure is kept, never left unhandled. */
class BackgroundWriter {
  readonly #handle: FileHandle;
  readonly #options: DurableFileOptions;
  #writing: Promise<void> = Promise.resolve();
  #syncing: Promise<void> | undefined;
  #unsynced = 0;
  #failure: { error: unknown } | undefined;

  constructor(handle: FileHandle, options: DurableFileOptions) {
    this.#handle = handle;
    this.#options = options;
  }

  /** Waits for the previous write, then starts this one (and a sync when one is due). */
  async write(batch: Uint8Array[], length: number): Promise<void> {
    await this.#writing;
    this.#throwFailure();
    if (length === 0) return;
    this.#writing = writeAll(this.#handle, batch, length).then(() => this.#afterWrite(length), (error: unknown) => this.#fail(error));
  }

  /** Waits until nothing is in flight; throws the first failure. */
  async settle(): Promise<void> {
    await this.#writing;
    await this.#syncing;
    this.#throwFailure();
  }

  #afterWrite(length: number): void {
    this.#unsynced += length;
    if (this.#options.syncEveryBytes <= 0 || this.#unsynced < this.#options.syncEveryBytes || this.#syncing !== undefined) return;
    this.#unsynced = 0;
    this.#syncing = this.#handle.datasync().then(
      () => (this.#syncing = undefined),
      (error: unknown) => this.#fail(error),
    );
  }

  #fail(error: unknown): void {
    this.#failure ??= { error };
  }

  #throwFailure(): void {
    if (this.#failure !== undefined) throw this.#failure.error;
  }
}

async function writeAll(handle: FileHandle, batch: Uint8Array[], length: number): Promise<void> {
  const { bytesWritten } = await handle.writev(batch);
  // libuv repeats short writes until everything is written or an error occurs; a short count
  // here would mean bytes silently missing from the blob.
  if (bytesWritten !== length) throw new Error(`short write: ${bytesWritten} of ${length} bytes`);
}
