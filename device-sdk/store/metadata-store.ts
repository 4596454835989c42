/**
 * Where the TUF client keeps the metadata it trusts, by role name. The only seam between the
 * client and persistent storage: an fs store (`FsMetadataStore`), an in-memory one
 * (`MemoryMetadataStore`), or anything a terminal platform offers.
 *
 * A `write` must be atomic: after a crash, `read` returns the old bytes or the new bytes,
 * never a mix. The client only writes metadata it has verified.
 *
 * @example
 * const store: MetadataStore = new FsMetadataStore('/var/steward/tuf');
 * await store.write('timestamp', verifiedBytes);
 * await store.commit?.([{ role: 'root', bytes: rootBytes }, { role: 'snapshot', bytes: undefined }]);
 */
export interface MetadataStore {
  /** The stored bytes of `role` (`root`, `timestamp`, `snapshot`, `targets`, a delegated name), if any. */
  read(role: string): Promise<Uint8Array | undefined>;
  /** Replace the stored bytes of `role`, atomically. */
  write(role: string, bytes: Uint8Array): Promise<void>;
  /** Forget `role`; no error when it is not stored. */
  delete(role: string): Promise<void>;
  /**
   * Optional: apply the changes of one update together, in the order given (the client gives
   * them in workflow order: root, timestamp, snapshot, targets, delegated roles). Each role
   * must end old or new after a crash, never torn, as with `write`; the batch as a whole need
   * not be all-or-nothing (the client recovers from any mix of old and new roles). A store
   * without it gets `write` and `delete` one change at a time.
   */
  commit?(changes: readonly MetadataChange[]): Promise<void>;
}

/** One change of a `commit`: the new bytes of `role`, or `undefined` to delete it. */
export interface MetadataChange {
  readonly role: string;
  readonly bytes: Uint8Array | undefined;
}
