import { Worker } from 'node:worker_threads';
import { StorageError } from '../db/storage-error.js';
import { HASH_WORKER_SOURCE } from './hash-worker-source.js';
import type { HashAlgorithm } from './hasher.js';

/** What a hash thread says about a job (see hash-worker-source.ts). */
export type HashWorkerMessage = { op: 'slab'; id: number; slab: ArrayBuffer } | { op: 'digest'; id: number; hex?: string[]; error?: string };

/** A job's side of the conversation. */
export interface HashJob {
  receive(message: HashWorkerMessage): void;
  /** The thread failed or ended: the job can never finish. */
  fail(error: StorageError): void;
}

/**
 * One hash thread serving any number of jobs, told apart by id. The thread keeps the process
 * alive only while it has jobs. When it fails or exits, every job on it fails with
 * STW_BLOB_BACKEND, so no caller waits forever.
 */
export class HashWorker {
  readonly #worker: Worker;
  readonly #jobs = new Map<number, HashJob>();
  #nextId = 1;
  #online = false;
  #failure: StorageError | undefined;

  /** `onGone` is told once the thread has exited, and whether it ever came online. */
  constructor(onGone: (worker: HashWorker, cameOnline: boolean) => void) {
    this.#worker = new Worker(HASH_WORKER_SOURCE, { eval: true, execArgv: [], name: 'steward-hash' });
    this.#worker.unref();
    this.#worker.on('online', () => (this.#online = true));
    this.#worker.on('message', (message: HashWorkerMessage) => this.#jobs.get(message.id)?.receive(message));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('messageerror', (error) => this.#fail(error));
    this.#worker.once('exit', (code) => {
      this.#fail(new Error(`the hash thread exited with code ${code}`));
      onGone(this, this.#online);
    });
  }

  /** Jobs on this thread now. */
  get jobs(): number {
    return this.#jobs.size;
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Starts a job; its id, or undefined when the thread has failed. */
  attach(job: HashJob, algorithms: readonly HashAlgorithm[]): number | undefined {
    if (this.#failure !== undefined) return undefined;
    const id = this.#nextId++;
    this.#jobs.set(id, job);
    if (this.#jobs.size === 1) this.#worker.ref();
    this.post({ op: 'start', id, algorithms });
    return id;
  }

  post(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): void {
    if (this.#failure === undefined) this.#worker.postMessage(message, transfer);
  }

  /** The job is done or abandoned: its messages are ignored from now on. */
  detach(id: number): void {
    if (this.#jobs.delete(id) && this.#jobs.size === 0) this.#worker.unref();
  }

  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }

  #fail(cause: unknown): void {
    if (this.#failure !== undefined) return;
    this.#failure = new StorageError('STW_BLOB_BACKEND', 'the hash thread failed', { cause, details: { operation: 'hash' } });
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    this.#worker.unref();
    for (const job of jobs) job.fail(this.#failure);
    void this.#worker.terminate();
  }
}
