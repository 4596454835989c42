export { ArtifactDownloader, defaultDownloaderConfig } from './downloader.js';
export type { DownloaderConfig, DownloadRequest, DownloadResult } from './downloader.js';
export { ArtifactHasher } from './artifact-hasher.js';
export type { HashMismatch } from './artifact-hasher.js';
export { checkExpected } from './expected-artifact.js';
export type { ArtifactHashes, ExpectedArtifact, HashAlgorithm } from './expected-artifact.js';
export { hashFile } from './hash-file.js';
export { isRetryable } from './retry-policy.js';
