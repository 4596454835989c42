export type { MetadataChange, MetadataStore } from './metadata-store.js';
export { FsMetadataStore } from './fs-metadata-store.js';
export type { FsMetadataStoreOptions } from './fs-metadata-store.js';
export { MemoryMetadataStore } from './memory-metadata-store.js';
