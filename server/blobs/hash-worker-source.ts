/**
 * The code a hash worker thread runs, as source text for `new Worker(source, { eval: true })`.
 *
 * It is plain JavaScript on purpose: an evaluated worker needs no file on disk and no loader,
 * so it starts the same from TypeScript sources (tsx, tap), from `dist/` and from a bundle, and
 * it is started with `execArgv: []` so the parent's loaders and profilers stay out of it.
 *
 * Protocol (one MessagePort, so messages arrive in the order they were posted, and the worker
 * handles one message at a time):
 *   -> { op: 'start', id, algorithms }       begin job `id`: one hash per algorithm, same bytes
 *   -> { op: 'update', id, slab, length }    hash slab[0, length); `slab` is a transferred ArrayBuffer
 *   <- { op: 'slab', id, slab }              the slab is hashed; transferred back for reuse
 *   -> { op: 'digest', id }                  finish job `id`
 *   <- { op: 'digest', id, hex: [...] } | { op: 'digest', id, error }   hex in the order of `algorithms`
 *   -> { op: 'abort', id }                   forget job `id` (an abandoned upload)
 * Because of that order, a 'digest' covers every 'update' posted before it.
 */
export const HASH_WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (message) => {
  const id = message.id;
  switch (message.op) {
    case 'start':
      hashes.set(id, message.algorithms.map((algorithm) => createHash(algorithm)));
      break;
    case 'update': {
      const job = hashes.get(id);
      if (job !== undefined) {
        const bytes = new Uint8Array(message.slab, 0, message.length);
        for (const hash of job) hash.update(bytes);
      }
      parentPort.postMessage({ op: 'slab', id, slab: message.slab }, [message.slab]);
      break;
    }
    case 'digest': {
      const job = hashes.get(id);
      hashes.delete(id);
      parentPort.postMessage(job === undefined ? { op: 'digest', id, error: 'unknown hash job' } : { op: 'digest', id, hex: job.map((hash) => hash.digest('hex')) });
      break;
    }
    case 'abort':
      hashes.delete(id);
      break;
  }
});
`;
