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
 */
export interface MetadataStore {
  /** The stored bytes of `role` (`root`, `timestamp`, `snapshot`, `targets`, a delegated name), if any. */
  read(role: string): Promise<Uint8Array | undefined>;
  /** Replace the stored bytes of `role`, atomically. */
  write(role: string, bytes: Uint8Array): Promise<void>;
  /** Forget `role`; no error when it is not stored. */
  delete(role: string): Promise<void>;
}
