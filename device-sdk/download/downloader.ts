/**
 * Resumable artifact download: fetch -> hash -> write in one pass, bounded memory.
 *
 * The bytes go to `<destination>.partial` through DurableFs and are hashed as they are
 * written. After a broken connection the next attempt asks for the rest with HTTP Range
 * (RFC 9110 14.2). A partial left by an earlier run (or a power cut) is hashed again from
 * disk before resuming, so the digests cover every byte that ends up in the file; if the
 * finished file does not match, a resumed partial is thrown away and fetched once more
 * from byte 0 (the old bytes may have been damaged). Only a file of the expected length
 * whose every given digest matches is renamed to `destination` (TUF 5.7.3: verify a target
 * against its length and hashes before use).
 *
 * @example
 * const downloader = new ArtifactDownloader(new NodeHttpFetcher());
 * await downloader.download({
 *   url: 'https://blobs.example/pos-fw-2.1.bin',
 *   expected: { length: 1048576, hashes: { sha256: '9f86d0...' } },
 *   destination: '/var/steward/downloads/pos-fw-2.1.bin',
 * });
 */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DeviceError } from '../errors.js';
import { DurableFs } from '../durable/durable-fs.js';
import type { Fetcher } from '../fetch/fetcher.js';
import { ArtifactHasher } from './artifact-hasher.js';
import { checkExpected, type ExpectedArtifact, type HashAlgorithm } from './expected-artifact.js';
import { hashFile } from './hash-file.js';
import { isRetryable, mustDiscardPartial, restartsFromZero } from './retry-policy.js';
import { streamInto } from './stream-into.js';

export interface DownloaderConfig {
  /** Connection attempts per `download()` call; each one resumes where the last stopped. */
  readonly maxAttempts: number;
  readonly fs: DurableFs;
  /** Awaited before each retry (attempt counts from 1): the place for a back-off. */
  readonly beforeRetry: (attempt: number, error: DeviceError) => Promise<void>;
}

export const defaultDownloaderConfig: DownloaderConfig = {
  maxAttempts: 5,
  fs: new DurableFs(),
  beforeRetry: async () => {},
};

export interface DownloadRequest {
  readonly url: string;
  readonly expected: ExpectedArtifact;
  readonly destination: string;
  readonly signal?: AbortSignal;
}

export interface DownloadResult {
  readonly path: string;
  /** `present`: the destination already held the artifact and nothing was fetched. */
  readonly outcome: 'present' | 'downloaded';
  /** Bytes of an earlier partial kept and resumed from (0 when starting fresh). */
  readonly resumedFrom: number;
  /** Bytes received over the network by this call. */
  readonly fetchedBytes: number;
  /** Fetches made by this call. */
  readonly attempts: number;
}

/** Where a download stands: the bytes in `.partial` and the running digests over them. */
export interface PartialState {
  hasher: ArtifactHasher;
  position: number;
  onDisk: boolean;
}

export class ArtifactDownloader {
  readonly #fetcher: Fetcher;
  readonly #config: DownloaderConfig;

  constructor(fetcher: Fetcher, config: Partial<DownloaderConfig> = {}) {
    this.#fetcher = fetcher;
    this.#config = { ...defaultDownloaderConfig, ...config };
  }

  /** Make `destination` hold exactly the expected artifact; see the file comment. */
  async download(request: DownloadRequest): Promise<DownloadResult> {
    const algorithms = checkExpected(request.expected);
    const { fs } = this.#config;
    const { destination, expected } = request;
    if (await matchesOnDisk(destination, expected, algorithms)) {
      return { path: destination, outcome: 'present', resumedFrom: 0, fetchedBytes: 0, attempts: 0 };
    }
    await fs.ensureDirectory(dirname(destination));
    const partial = `${destination}.partial`;
    let state = await loadPartial(partial, expected.length, algorithms, fs);
    const resumedFrom = state.position;
    let fromEarlierRun = resumedFrom > 0;
    let attempts = 0;
    const counter = { received: 0 };
    for (;;) {
      if (state.position < expected.length) {
        attempts += 1;
        try {
          await streamInto(this.#fetcher, fs, { url: request.url, partial, expected, signal: request.signal }, state, counter);
        } catch (error) {
          if (!(error instanceof DeviceError)) throw error;
          const failure = error;
          if (mustDiscardPartial(failure)) await fs.unlinkDurably(partial);
          if (!isRetryable(failure) || attempts >= this.#config.maxAttempts) throw failure;
          if (restartsFromZero(failure)) state = fresh(algorithms);
          await this.#config.beforeRetry(attempts, failure);
        }
        continue;
      }
      if (!state.onDisk) await createEmpty(fs, partial);
      const mismatches = state.hasher.mismatches(expected.hashes);
      if (mismatches.length === 0) break;
      await fs.unlinkDurably(partial);
      if (fromEarlierRun) {
        fromEarlierRun = false;
        state = fresh(algorithms);
        continue;
      }
      throw new DeviceError('STW_DEVICE_TARGET_MISMATCH', `${request.url} does not match its expected hashes`, {
        details: { reason: 'hash', url: request.url, mismatches },
      });
    }
    await fs.renameDurably(partial, destination);
    return { path: destination, outcome: 'downloaded', resumedFrom, fetchedBytes: counter.received, attempts };
  }
}

function fresh(algorithms: readonly HashAlgorithm[]): PartialState {
  return { hasher: new ArtifactHasher(algorithms), position: 0, onDisk: false };
}

/** True when `path` already has the expected length and digests. */
async function matchesOnDisk(path: string, expected: ExpectedArtifact, algorithms: readonly HashAlgorithm[]): Promise<boolean> {
  const size = await sizeOf(path);
  if (size !== expected.length) return false;
  const hasher = new ArtifactHasher(algorithms);
  await hashFile(path, hasher);
  return hasher.mismatches(expected.hashes).length === 0;
}

/** Re-hash an earlier partial so the digests cover it; one longer than the artifact is dropped. */
async function loadPartial(partial: string, length: number, algorithms: readonly HashAlgorithm[], fs: DurableFs): Promise<PartialState> {
  const size = await sizeOf(partial);
  const state = fresh(algorithms);
  if (size === undefined) return state;
  if (size > length) {
    await fs.unlinkDurably(partial);
    return state;
  }
  state.position = await hashFile(partial, state.hasher, size);
  state.onDisk = true;
  return state;
}

async function createEmpty(fs: DurableFs, path: string): Promise<void> {
  const writer = await fs.openWriter(path, 'w');
  await writer.sync();
  await writer.close();
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}
