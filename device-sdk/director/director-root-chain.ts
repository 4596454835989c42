/**
 * The director's root and its rotation: TUF 5.3 applied to the director's `root.json`. The
 * trusted root starts as the one from enrolment; `rotate()` asks for N+1.root.json,
 * N+2.root.json, ... (each signed by a threshold of the previous and of its own root keys,
 * version + 1), persisting each as it is accepted, until there is none or the cap is reached.
 * The newest trusted root is read back from the store after a restart.
 *
 * @example
 * const chain = new DirectorRootChain({ root: enrolmentRoot, store, fetchRoot });
 * const root = await chain.rotate();
 */
import { Metadata, verifyRootSuccessor, type Root } from '../../manifests/index.js';
import { DeviceError } from '../errors.js';
import type { DirectorStore } from './director-store.js';

const MAX_ROOT_BYTES = 512 * 1024;
const MAX_DEPTH = 32;

export interface DirectorRootChainOptions {
  /** The director's root from the trust bundle. */
  readonly root: Metadata<Root>;
  readonly store: DirectorStore;
  /** Bytes of the director's `<version>.root.json`, or undefined when there is none (404). */
  readonly fetchRoot?: ((version: number) => Promise<Uint8Array | undefined>) | undefined;
  /** Root versions walked in one rotation, at most. */
  readonly maxRotations?: number | undefined;
}

export class DirectorRootChain {
  readonly #options: DirectorRootChainOptions;
  #root: Metadata<Root> | undefined;

  constructor(options: DirectorRootChainOptions) {
    this.#options = options;
  }

  get canRotate(): boolean {
    return this.#options.fetchRoot !== undefined;
  }

  /** The root trusted now. */
  async trusted(): Promise<Metadata<Root>> {
    if (this.#root !== undefined) return this.#root;
    const stored = await this.#options.store.readRoot();
    let root = this.#options.root;
    if (stored !== undefined) {
      try {
        const rotated = Metadata.fromBytes('root', stored);
        if (rotated.signed.version > root.signed.version) root = rotated;
      } catch (cause) {
        throw new DeviceError('STW_DEVICE_STATE_INVALID', 'the stored director root cannot be read', { cause, details: { path: this.#options.store.rootPath } });
      }
    }
    this.#root = root;
    return root;
  }

  /** TUF 5.3.2 - 5.3.8: follow the chain; returns the newest trusted root. */
  async rotate(): Promise<Metadata<Root>> {
    let root = await this.trusted();
    const fetchRoot = this.#options.fetchRoot;
    if (fetchRoot === undefined) return root;
    for (let step = 0; step < (this.#options.maxRotations ?? 32); step++) {
      const version = root.signed.version + 1;
      const bytes = await fetchRoot(version);
      if (bytes === undefined) break;
      let next: Metadata<Root>;
      try {
        next = Metadata.fromBytes('root', bytes, { maxBytes: MAX_ROOT_BYTES, maxDepth: MAX_DEPTH });
        verifyRootSuccessor(root.signed, next);
      } catch (cause) {
        throw new DeviceError('STW_DEVICE_DIRECTOR_INVALID', `director root ${version} does not follow ${root.signed.version}`, { cause, details: { reason: 'root-rotation', version } });
      }
      // TUF 5.3.8: persist each root as soon as it is trusted.
      await this.#options.store.writeRoot(bytes);
      root = next;
      this.#root = root;
    }
    return root;
  }
}
