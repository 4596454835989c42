// device-sdk/: the terminal side of Steward. Named exports only.

// errors
export { DeviceError } from './errors.js';
export type { DeviceErrorCode } from './errors.js';

// network seam
export type { Fetcher, FetchRequest, FetchResponse } from './fetch/fetcher.js';
export { HttpFetcher, defaultHttpFetcherConfig } from './fetch/http-fetcher.js';
export type { HttpFetcherConfig } from './fetch/http-fetcher.js';

// TUF client
export { Updater, defaultUpdaterConfig, resolveUpdaterConfig, initialiseTrustedRoot, encodeRoleName } from './tuf/index.js';
export type { UpdaterOptions, UpdaterConfig, RefreshResult, FoundTarget } from './tuf/index.js';

// trusted metadata stores
export { FsMetadataStore, MemoryMetadataStore } from './store/index.js';
export type { MetadataStore, FsMetadataStoreOptions } from './store/index.js';

// command line
export { runCli } from './cli/run-cli.js';
export type { CliIo, CliOutput } from './cli/run-cli.js';
